"""URL patterns of the interviews app; permissions tested in tests/interviews/test_interviews.py."""

COVERED = {"cases/<int:case_id>/interviews/new"}
