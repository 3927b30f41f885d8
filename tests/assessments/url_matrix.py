"""URL patterns of the assessments app, permission-tested in tests/assessments/test_pages.py."""

COVERED = {
    "cases/<int:case_id>/assessments/refer",
    "cases/<int:case_id>/assessments/conflict",
    "cases/<int:case_id>/assessments/complete",
    "cases/<int:case_id>/assessments/share-narrative",
}
