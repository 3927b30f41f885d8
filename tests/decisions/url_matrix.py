"""URL patterns of the decisions app, permission-tested in tests/decisions/test_pages.py."""

COVERED = {
    "cases/<int:case_id>/decisions/recommendation",
    "cases/<int:case_id>/decisions/decide",
    "cases/<int:case_id>/decisions/approve/<int:decision_id>",
    "cases/<int:case_id>/decisions/caution",
    "cases/<int:case_id>/decisions/outcome",
    "cases/<int:case_id>/decisions/caution/correct",
    "cases/<int:case_id>/decisions/outcome/correct",
    "cases/<int:case_id>/decisions/leave-scheme",
    "cases/<int:case_id>/decisions/prosecution",
    "cases/<int:case_id>/decisions/prosecution/result",
}
