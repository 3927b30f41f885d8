"""Settings shared by every environment.

Secrets (Django secret key, audit HMAC key, field-encryption keys, enquiry pepper) come from
the environment or from files outside the database (``COMEFORWARD_SECRETS_DIR``); see
docs/adr/0004-secrets-outside-the-database.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from .database import database_from_url, sqlite_database  # noqa: F401 (re-exported)

BASE_DIR = Path(__file__).resolve().parents[4]  # repository root
SRC_DIR = BASE_DIR / "src" / "comeforward"
VAR_DIR = Path(os.environ.get("COMEFORWARD_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("COMEFORWARD_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "comeforward.web",
    "comeforward.accounts",
    "comeforward.audit",
    "comeforward.encryption",
    "comeforward.people",
    "comeforward.cases",
    "comeforward.safeguarding",
    "comeforward.exhibits",
    "comeforward.interviews",
    "comeforward.treatment",
    "comeforward.register",
    "comeforward.assessments",
    "comeforward.decisions",
    "comeforward.documents",
    "comeforward.frontend",
    "comeforward.demo",
    "comeforward.enquiries",
    "comeforward.statistics",
    "comeforward.api",
    "comeforward.leads",
]

MIDDLEWARE = [
    # First: strip the address, user agent and forwarded-for headers from /ask requests
    # before anything else can see or log them (users-and-security §3.2).
    "comeforward.enquiries.privacy.PublicEnquiryPrivacyMiddleware",
    # Request id in and out, one access log line (URL pattern, status, time) and metrics.
    "comeforward.web.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The staff pages' language, English or Cymraeg (web/language.py, docs/welsh.md).
    "comeforward.web.language.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "comeforward.accounts.middleware.SessionLifetimeMiddleware",
    "comeforward.accounts.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "comeforward.web.middleware.NoStoreForAuthenticatedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "comeforward.web.urls"
WSGI_APPLICATION = "comeforward.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "comeforward.web.jinja2.environment",
            "autoescape": True,
            "context_processors": [
                "django.template.context_processors.request",
                "comeforward.frontend.navigation.navigation",
            ],
        },
    },
    {
        # Django's own templates (admin is not installed; kept for third-party apps' emails).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

# Every form's errors in plain words, linked to their fields (comeforward.ui.forms).
FORM_RENDERER = "comeforward.ui.forms.GovukFormRenderer"

DATABASES = {
    # The demo's default: SQLite under var/, set up for a web server and a worker at once;
    # else DATABASE_URL (settings/database.py). Production requires PostgreSQL (production.py).
    "default": database_from_url(env("DATABASE_URL"))
    if env("DATABASE_URL")
    else sqlite_database(VAR_DIR / "comeforward.sqlite3")
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- authentication -----------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "frontend:home"

# django-axes: lock an account + address pair after 5 failures for 30 minutes (ASVS 6.3.1).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "comeforward.accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions: inactivity timeout and absolute lifetime (ASVS 7.3.1/7.3.2).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_INACTIVITY_TIMEOUT = int(env("COMEFORWARD_SESSION_IDLE_SECONDS", "1800") or 1800)
SESSION_ABSOLUTE_LIFETIME = int(env("COMEFORWARD_SESSION_MAX_SECONDS", "36000") or 36000)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

OTP_TOTP_ISSUER = "comeforward"

# --- security headers ---------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "manifest-src": [SELF],
    }
}

# --- static files (GOV.UK Frontend and MoJ Frontend, built from npm at set-up) -------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static" / "collected"
STATICFILES_DIRS = [BASE_DIR / "static" / "vendor"]  # built by `make assets` from npm

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
#: English and Welsh (issue 20.9, docs/welsh.md): the public /ask/ pages and the documents
#: given to the person in both; every string marked for translation (gettext, Jinja i18n).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "src" / "comeforward" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- background work (Django tasks API, database queue) -----------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- comeforward --------------------------------------------------------------------------
# Forensic triage jobs (exhibits.triage_jobs): where the worker may read evidence, where runs
# write, and the reference hash sets (.cfhs) every run uses.
TRIAGE_EVIDENCE_ROOTS = env_list("COMEFORWARD_TRIAGE_EVIDENCE_ROOTS", str(VAR_DIR / "evidence"))
TRIAGE_OUTPUT_DIR = Path(env("COMEFORWARD_TRIAGE_OUTPUT_DIR", str(VAR_DIR / "triage")))
TRIAGE_HASHSETS = env_list("COMEFORWARD_TRIAGE_HASHSETS")
TRIAGE_KNOWN_GOOD = env_list("COMEFORWARD_TRIAGE_KNOWN_GOOD")
# The worker's report signing key (issue 11.4, docs/triage-report-signing.md): a private key
# file outside the database, mode 0600. Made on first use only where AUTOCREATE is on
# (development, demo, tests); in production it must name an existing key
# (`comeforward triage keygen --out FILE`), checked by `check --deploy`.
TRIAGE_SIGNING_KEY_FILE = env("COMEFORWARD_TRIAGE_SIGNING_KEY_FILE")
TRIAGE_SIGNING_KEY_AUTOCREATE = False
# Register transfers between forces (issue 13.7, docs/register-transfer.md): this force's
# Ed25519 private key (PEM, mode 0600, `comeforward register_transfer keygen`) and the public
# keys of the forces whose transfer files and receipts it trusts. Unset: the transfer pages
# say transfers are not set up (REGISTER_TRANSFER_NOT_CONFIGURED).
REGISTER_TRANSFER_SIGNING_KEY_FILE = env("COMEFORWARD_REGISTER_TRANSFER_SIGNING_KEY_FILE")
REGISTER_TRANSFER_TRUSTED_KEY_FILES = env_list("COMEFORWARD_REGISTER_TRANSFER_TRUSTED_KEY_FILES")

PROTECTIVE_MARKING = env("COMEFORWARD_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
SERVICE_NAME = "Come forward"
DEMO_MODE = False

# --- anonymous enquiries (users-and-security §3.2; docs/adr/0201) ---------------------------
# The public key messages are sealed to, and the pepper for reference hashes. The private key
# (ENQUIRY_PRIVATE_KEY) belongs only in the staff-side settings: the public process must not
# hold it. Tunables (retention, rate limits) have defaults in comeforward/enquiries/conf.py.
from .secrets import read_secret as _read_secret  # noqa: E402

ENQUIRY_PUBLIC_KEY = _read_secret("ENQUIRY_PUBLIC_KEY")
ENQUIRY_REFERENCE_PEPPER = _read_secret("ENQUIRY_REFERENCE_PEPPER")
# Bulk leads (docs/leads.md): the key of card-number hashes (HMAC-SHA-256); unset = no import.
LEADS_CARD_HMAC_KEY = _read_secret("LEADS_CARD_HMAC_KEY")
ENQUIRY_RETENTION_DAYS = int(env("COMEFORWARD_ENQUIRY_RETENTION_DAYS", "180") or 180)

# --- shared cache (issue 11.6; docs/adr/0201) -----------------------------------------------
# The enquiry channel's single-use form tokens, proof-of-work load counters and per-reference
# budgets must be shared by every web process, so the cache is the database (its table is
# made by `migrate`, see enquiries/apps.py), or Redis when REDIS_URL is set (needs the `redis`
# package). A per-process memory cache would let each process count on its own.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "comeforward_cache",
            "OPTIONS": {"MAX_ENTRIES": 100000},
        }
    }

# --- integration API (issue 18; docs/api.md) -----------------------------------------------
# Calls each client may make per window ("requests/seconds"), counted in the shared cache.
API_RATE_LIMIT = env("COMEFORWARD_API_RATE_LIMIT", "600/60")
API_MAX_IMPORT_BYTES = int(env("COMEFORWARD_API_MAX_IMPORT_BYTES", str(512 * 1024 * 1024)) or 0)

# --- audit anchor (issue 11.3; docs/adr/0008-audit-anchor.md) -------------------------------
# After every audited write commits, a signed checkpoint (record count + last hash) is appended
# to this file, outside the database; `comeforward audit verify` compares the chain with it.
# The signing key comes from the environment/secrets directory, or is derived from the audit key.
AUDIT_ANCHOR_PATH = Path(env("COMEFORWARD_AUDIT_ANCHOR_PATH", "") or VAR_DIR / "audit-anchor.log")
AUDIT_ANCHOR_KEY = _read_secret("AUDIT_ANCHOR_KEY")
AUDIT_ANCHOR_MAX_UNANCHORED = 100  # readiness fails beyond this many unanchored records

# --- operations: scheduler, metrics, logs (docs/deploy.md) ---------------------------------
# The daily jobs `comeforward scheduler` queues, at local times (TIME_ZONE).
COMEFORWARD_SCHEDULE = env(
    "COMEFORWARD_SCHEDULE",
    "register_sweep=02:00,treatment_condition_sweep=02:15,enquiries_purge=03:00,"
    "statistics_refresh=04:00",
)
# /metrics needs `Authorization: Bearer <token>`; without a token, loopback callers only.
METRICS_TOKEN = _read_secret("COMEFORWARD_METRICS_TOKEN")
LOG_FORMAT = env("COMEFORWARD_LOG_FORMAT", "text")  # "json" in production
LOG_LEVEL = env("COMEFORWARD_LOG_LEVEL", "WARNING")


def logging_config(fmt: str, level: str) -> dict:
    """Console logging; ``json``: one JSON object a line with the request id (observability)."""
    formatter = (
        {"()": "comeforward.web.observability.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "comeforward.web.observability.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's request logs carry paths and client details: errors only, and the JSON
            # formatter drops the path (observability.JsonFormatter). The dev server's own
            # access log would carry client addresses: never (users-and-security §3.2).
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


# Replaces the plain LOGGING above: request ids on every line, JSON where configured.
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
