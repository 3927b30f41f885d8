"""URL patterns of the leads app; permissions tested in tests/leads/test_pages.py."""

COVERED = {
    "leads/",
    "leads/import",
    "leads/queue",
    "leads/review",
    "leads/statistics",
    "leads/batches/<int:batch_id>/",
    "leads/batches/<int:batch_id>/export",
    "leads/batches/<int:batch_id>/link",
    "leads/<int:lead_id>/",
    "leads/<int:lead_id>/act",
    "leads/links/<int:link_id>/",
}
