"""URL patterns of the cases app whose permissions are tested in tests/cases and tests/web."""

COVERED = {
    "cases/<int:case_id>/",  # tests/web/test_need_to_know.py (team, supervisors, partners)
    "cases/<int:case_id>/transition",  # tests/cases/test_case_pages.py
    "cases/intake",  # tests/cases/test_intake.py
    "cases/<int:case_id>/person",  # tests/cases/test_person_pages.py
    "cases/<int:case_id>/person/add/<str:kind>",  # tests/cases/test_person_pages.py
    "cases/<int:case_id>/person/merge",  # tests/cases/test_person_pages.py
    "cases/<int:case_id>/team",  # tests/cases/test_case_team.py
    "cases/<int:case_id>/team/<int:user_id>/remove",  # tests/cases/test_case_team.py
    "cases/<int:case_id>/partners/<int:grant_id>/revoke",  # tests/cases/test_case_team.py
    "cases/<int:case_id>/tasks/<int:task_id>/done",  # tests/cases/test_tasks.py
}
