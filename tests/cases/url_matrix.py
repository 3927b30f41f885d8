"""URL patterns of the cases app whose permissions are tested in tests/cases and tests/web."""

COVERED = {
    "cases/<int:case_id>/",  # tests/web/test_need_to_know.py (team, supervisors, partners)
    "cases/<int:case_id>/transition",  # tests/cases/test_case_pages.py
}
