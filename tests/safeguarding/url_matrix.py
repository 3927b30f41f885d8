"""URL patterns of the safeguarding app; permissions tested in tests/safeguarding/test_pages.py."""

COVERED = {
    "cases/<int:case_id>/safeguarding/screen",
    "cases/<int:case_id>/safeguarding/referrals/new",
    "cases/<int:case_id>/safeguarding/referrals/<int:referral_id>/outcome",
    "cases/<int:case_id>/safeguarding/children/new",
    "cases/<int:case_id>/safeguarding/children/<int:child_id>/change",
    "cases/<int:case_id>/safeguarding/children/<int:child_id>/end",
}
