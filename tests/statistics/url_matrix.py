"""URL patterns of the statistics app; permissions tested in tests/statistics/test_pages.py."""

COVERED = {
    "statistics/",
    "statistics/report.pdf",
    "statistics/refresh",
    "statistics/extract",
    "statistics/follow-up",
    "statistics/export/<slug:table_id>.<str:fmt>",
    "statistics/<slug:name>",
}
