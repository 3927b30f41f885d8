"""URL patterns of the treatment app whose permissions are tested in tests/treatment."""

COVERED = {
    "treatment/cases/<int:case_id>/refer",  # test_pages.py::test_matrix
    "treatment/cases/<int:case_id>/sessions/new",  # test_pages.py::test_matrix
    "treatment/cases/<int:case_id>/notes/new",  # test_pages.py::test_matrix
    "treatment/cases/<int:case_id>/outcome",  # test_pages.py::test_matrix
    "treatment/cases/<int:case_id>/breach-reviews/new",  # test_pages.py::test_matrix
    "treatment/breach-reviews/<int:review_id>/decide",  # test_pages.py::test_matrix
}
