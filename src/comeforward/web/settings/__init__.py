"""Settings: ``base`` (shared), ``dev`` (demo, SQLite), ``test``, ``production``."""
