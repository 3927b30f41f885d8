"""URL patterns of the statistics app; permissions tested in tests/statistics/test_pages.py
and, for the case pages, tests/statistics/test_case_extension.py (test_view_permission_matrix
and the other force's refusal)."""

COVERED = {
    "statistics/",
    "statistics/report.pdf",
    "statistics/refresh",
    "statistics/extract",
    "statistics/extract/download",
    "statistics/follow-up",
    "statistics/export/<slug:table_id>.<str:fmt>",
    "statistics/<slug:name>",
    "cases/<int:case_id>/statistics/equality",
    "cases/<int:case_id>/statistics/follow-up",
}
