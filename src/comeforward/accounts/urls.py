from django.urls import path

from . import team_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("mfa/", views.mfa, name="mfa"),
    path("mfa/setup", views.mfa_setup, name="mfa-setup"),
    path("users/", views.users, name="users"),
    path("users/new", views.user_add, name="user-add"),
    path("users/<int:user_id>/", views.user_detail, name="user-detail"),
    path("users/<int:user_id>/deactivate", views.user_deactivate, name="user-deactivate"),
    path("users/<int:user_id>/reactivate", views.user_reactivate, name="user-reactivate"),
    path("users/<int:user_id>/mfa-reset", views.user_mfa_reset, name="user-mfa-reset"),
    path("users/<int:user_id>/team", team_views.user_team, name="user-team"),
    path("teams/", team_views.teams, name="teams"),
    # WebAuthn security keys (privileged roles; docs/adr/0007-webauthn.md)
    path("security-keys", views.security_keys, name="security-keys"),
    path(
        "security-keys/register/options",
        views.security_key_register_options,
        name="security-key-register-options",
    ),
    path(
        "security-keys/register/verify",
        views.security_key_register_verify,
        name="security-key-register-verify",
    ),
    path(
        "security-keys/<int:device_id>/remove",
        views.security_key_remove,
        name="security-key-remove",
    ),
    path("mfa/security-key/options", views.mfa_security_key_options, name="mfa-key-options"),
    path("mfa/security-key/verify", views.mfa_security_key_verify, name="mfa-key-verify"),
]
