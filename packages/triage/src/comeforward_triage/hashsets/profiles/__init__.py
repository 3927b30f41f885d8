"""Category profile data files (JSON), loaded by name with ``--profile NAME``."""
