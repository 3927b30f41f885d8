"""Production: PostgreSQL, every secret given, JSON logs, static files by WhiteNoise.

Refuses to start — with one message naming everything that is missing — rather than fall
back to SQLite, a made-up key or a default host. Every setting and secret is in the table
in docs/deploy.md; secrets come from the environment or from files in a secrets directory
(``COMEFORWARD_SECRETS_DIR``, e.g. /run/secrets, or systemd's ``CREDENTIALS_DIRECTORY``).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, env, env_list, logging_config
from .secrets import REQUIRED_SECRETS, read_secret


def _problems() -> list[str]:
    problems = [
        f"{name} is not set (environment, or a file in COMEFORWARD_SECRETS_DIR)"
        for name in REQUIRED_SECRETS
        if not read_secret(name)
    ]
    url = read_secret("DATABASE_URL") or ""
    if not url:
        problems.append("DATABASE_URL is not set: production runs on PostgreSQL only")
    elif not url.startswith(("postgres://", "postgresql://")):
        problems.append(
            "DATABASE_URL must be a PostgreSQL URL (postgres://…): production never runs on "
            "SQLite or any other database"
        )
    if not env_list("COMEFORWARD_ALLOWED_HOSTS"):
        problems.append("COMEFORWARD_ALLOWED_HOSTS is not set (the service's host names)")
    return problems


_missing = _problems()
if _missing:
    raise ImproperlyConfigured(
        "production settings refuse to start:\n  - "
        + "\n  - ".join(_missing)
        + "\nSee docs/deploy.md (Settings)."
    )

from .base import database_from_url  # noqa: E402

DATABASES["default"] = database_from_url(read_secret("DATABASE_URL"))

DEBUG = False
DEMO_MODE = False
ALLOWED_HOSTS = env_list("COMEFORWARD_ALLOWED_HOSTS")
SECRET_KEY = read_secret("DJANGO_SECRET_KEY")
AUDIT_HMAC_KEY = read_secret("AUDIT_HMAC_KEY")
FIELD_ENCRYPTION_KEYS = [k.strip() for k in read_secret("FIELD_ENCRYPTION_KEYS").split(",") if k]
ENQUIRY_PUBLIC_KEY = read_secret("ENQUIRY_PUBLIC_KEY")
ENQUIRY_REFERENCE_PEPPER = read_secret("ENQUIRY_REFERENCE_PEPPER")
# Anonymous enquiries (docs/adr/0201): the private key is set only where the staff back office
# runs, never on the public-facing process. Without it the staff pages say the messages
# cannot be read.
ENQUIRY_PRIVATE_KEY = read_secret("ENQUIRY_PRIVATE_KEY")

# Static files: WhiteNoise serves the collected, fingerprinted, compressed files from the web
# processes (`comeforward collectstatic` at build time), right after the security middleware.
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# GOV.UK Frontend's templates build asset URLs from a folder (``static("govuk/assets")`` +
# "/images/…"), which has no fingerprinted entry: such URLs fall back to the plain name, which
# WhiteNoise serves too (with a short cache lifetime).
WHITENOISE_MANIFEST_STRICT = False

LOGGING = logging_config(
    env("COMEFORWARD_LOG_FORMAT", "json") or "json", env("COMEFORWARD_LOG_LEVEL", "INFO") or "INFO"
)

# Behind the TLS proxy (deploy/): it terminates TLS and sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env("COMEFORWARD_SSL_REDIRECT", "1") != "0"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
