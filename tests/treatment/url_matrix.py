"""URL patterns of the treatment app whose permissions are tested in tests/treatment."""

COVERED = {
    "cases/<int:case_id>/treatment/refer",  # test_pages.py::test_matrix
    "cases/<int:case_id>/treatment/sessions/new",  # test_pages.py::test_matrix
    "cases/<int:case_id>/treatment/notes/new",  # test_pages.py::test_matrix
    "cases/<int:case_id>/treatment/outcome",  # test_pages.py::test_matrix
    "cases/<int:case_id>/treatment/breach-reviews/new",  # test_pages.py::test_matrix
    "cases/<int:case_id>/treatment/breach-reviews/<int:review_id>/decide",  # test_pages.py::test_matrix
}
