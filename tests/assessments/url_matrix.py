"""URL patterns of the assessments app, permission-tested in tests/assessments/test_pages.py."""

COVERED = {
    "assessments/<int:case_id>/refer",
    "assessments/<int:case_id>/conflict",
    "assessments/<int:case_id>/complete",
    "assessments/<int:case_id>/share-narrative",
}
