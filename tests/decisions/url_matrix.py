"""URL patterns of the decisions app, permission-tested in tests/decisions/test_pages.py."""

COVERED = {
    "decisions/<int:case_id>/recommendation",
    "decisions/<int:case_id>/decide",
    "decisions/<int:case_id>/approve/<int:decision_id>",
    "decisions/<int:case_id>/caution",
    "decisions/<int:case_id>/outcome",
    "decisions/<int:case_id>/caution/correct",
    "decisions/<int:case_id>/outcome/correct",
    "decisions/<int:case_id>/leave-scheme",
    "decisions/<int:case_id>/prosecution",
    "decisions/<int:case_id>/prosecution/result",
}
