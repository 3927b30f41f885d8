"""URL patterns of the register app whose permissions are tested in tests/register."""

COVERED = {
    "register/",  # test_pages.py::test_role_matrix_for_the_list
    "register/<int:record_id>/",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/notifications/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/visits/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/arms/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/breaches",  # test_pages.py::test_breach_post_permissions
    "register/<int:record_id>/breaches/<int:breach_id>/outcome",  # test_record_matrix
    "register/<int:record_id>/periods/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/periods/<int:period_id>/end",  # test_record_matrix
    "register/<int:record_id>/trips/new",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/trips/<int:trip_id>/return",  # test_record_matrix
    "register/<int:record_id>/trips/<int:trip_id>/notice",  # test_record_matrix
    "register/<int:record_id>/management",  # test_pages.py::test_record_matrix
    "register/<int:record_id>/review",  # test_pages.py::test_record_matrix
    "cases/<int:case_id>/register/enter",  # test_pages.py::test_enter_matrix (a case page)
    "register/<int:record_id>/transfer",  # test_transfer_pages.py::test_permission_matrix
    "register/transfers/",  # test_transfer_pages.py::test_permission_matrix
    "register/transfers/import",  # test_transfer_pages.py (POST; managers of the force)
    "register/transfers/confirm",  # test_transfer_pages.py (POST; managers of the force)
    "register/transfers/<int:transfer_id>/",  # test_transfer_pages.py::test_permission_matrix
    "register/transfers/<int:transfer_id>/accept",  # test_permission_matrix (POST)
    "register/transfers/<int:transfer_id>/refuse",  # test_permission_matrix
    "register/transfers/<int:transfer_id>/receipt",  # test_import_shows_the_file_then_accept…
}
