"""Reads about a user's WebAuthn security keys (always scoped to one user)."""

from __future__ import annotations

from .models import WebAuthnDevice


def user_webauthn_devices(user):
    """The user's usable security keys, oldest first."""
    return WebAuthnDevice.objects.filter(user=user, confirmed=True)


def user_has_webauthn(user) -> bool:
    return bool(user.is_authenticated) and user_webauthn_devices(user).exists()


def user_webauthn_device(user, *, device_id: int) -> WebAuthnDevice | None:
    """One of the user's own keys, or ``None`` (never another user's)."""
    return user_webauthn_devices(user).filter(pk=device_id).first()
