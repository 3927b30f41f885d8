"""Sign-in is required everywhere except the public pages, and MFA completes it.

Secure by default: a new URL is private unless it is added to ``PUBLIC_PREFIXES``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

#: Paths that anyone may open without signing in.
PUBLIC_PREFIXES: tuple[str, ...] = (
    "/account/sign-in",
    "/static/",
    "/ask",
    "/healthz",
    "/readyz",
    "/metrics",  # its own check: a bearer token, or loopback only (web/health.py)
    "/api/",  # its own check: a client token on every operation (api/security.py)
    "/language",  # the language switch: sets a cookie and reads nothing (web/language.py)
)
#: Paths a signed-in user may open before completing MFA.
MFA_PENDING_PREFIXES: tuple[str, ...] = ("/account/mfa/", "/account/sign-out")


def _is_public(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in PUBLIC_PREFIXES)


class SessionLifetimeMiddleware:
    """Inactivity timeout and absolute session lifetime (ASVS 7.3.1, 7.3.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("signed_in_at", now)
            last = request.session.get("last_activity", now)
            idle = now - last > settings.SESSION_INACTIVITY_TIMEOUT
            expired = now - started > settings.SESSION_ABSOLUTE_LIFETIME
            if idle or expired:
                logout(request)
                reason = "inactive" if idle else "expired"
                return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'ended': reason})}")
            request.session["last_activity"] = now
        return self.get_response(request)


class RequireMfaMiddleware:
    """Every staff user must pass a second factor before seeing anything (ASVS 6.3.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = request.user
        request.is_mfa_verified = bool(user.is_authenticated and user.is_verified())
        if _is_public(path):
            return self.get_response(request)
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': path})}")
        if not request.is_mfa_verified and not path.startswith(MFA_PENDING_PREFIXES):
            return redirect("accounts:mfa")
        return self.get_response(request)
