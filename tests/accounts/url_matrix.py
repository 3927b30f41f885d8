"""URL patterns of the accounts app whose permissions are tested in tests/accounts."""

COVERED = {
    # tests/accounts/test_webauthn_views.py: privileged roles only, 403 for the rest
    "account/security-keys",
    "account/security-keys/register/options",
    "account/security-keys/register/verify",
    "account/security-keys/<int:device_id>/remove",
    # tests/accounts/test_webauthn_views.py: the MFA step, own keys only, single-use challenge
    "account/mfa/security-key/options",
    "account/mfa/security-key/verify",
    # tests/accounts/test_team_views.py: administrators only, own organisation only
    "account/teams/",
    "account/users/<int:user_id>/team",
}
