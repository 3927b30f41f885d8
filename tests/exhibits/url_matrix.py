"""URL patterns of the exhibits app; permissions tested in tests/exhibits/test_pages.py."""

COVERED = {
    "cases/<int:case_id>/exhibits/new",
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/",
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/custody",
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/examination",
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/triage",  # tests/exhibits/test_triage_jobs.py
    # tests/exhibits/test_new_material.py::test_download_permission_matrix
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/examinations/<int:examination_id>/new-material",
    # tests/exhibits/test_signing_key_pages.py::test_permission_matrix
    "triage-keys/",
    "triage-keys/new",
    "triage-keys/<int:key_id>/revoke",
    # tests/exhibits/test_grading.py::test_permission_matrix
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/examinations/<int:examination_id>/grading",
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/examinations/<int:examination_id>/sample-review",
    "cases/<int:case_id>/exhibits/<int:exhibit_id>/examinations/<int:examination_id>/findings",
}
