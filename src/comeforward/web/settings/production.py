"""Production: PostgreSQL, secrets required from the environment or a secrets directory."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .secrets import read_secret


def _required(name: str) -> str:
    value = read_secret(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set (environment or COMEFORWARD_SECRETS_DIR)")
    return value


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
AUDIT_HMAC_KEY = _required("AUDIT_HMAC_KEY")
FIELD_ENCRYPTION_KEYS = [k for k in _required("FIELD_ENCRYPTION_KEYS").split(",") if k]
# Anonymous enquiries (docs/adr/0201): ENQUIRY_PUBLIC_KEY and ENQUIRY_REFERENCE_PEPPER come from
# base settings; the private key is set only where the staff back office runs, never on the
# public-facing process. Without it the staff pages say the messages cannot be read.
ENQUIRY_PRIVATE_KEY = read_secret("ENQUIRY_PRIVATE_KEY")

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
