"""URL patterns of the register app whose permissions are tested in tests/register."""

COVERED = {
    "register/",  # test_pages.py::test_role_matrix_for_the_list
    "register/<int:record_id>/",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/notifications/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/visits/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/arms/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/breaches",  # test_pages.py::test_breach_post_permissions
    "register/cases/<int:case_id>/enter",  # test_pages.py::test_enter_matrix
}
