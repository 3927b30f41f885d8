"""Test settings: fixed throw-away keys, immediate background tasks, database from env."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env, sqlite_database

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
AUDIT_HMAC_KEY = "00" * 32
# Two keys so that rotation is exercised: the first encrypts, both decrypt.
FIELD_ENCRYPTION_KEYS = [
    "rPS6S6Xk9oVXXMYdsJ0OBFW0-QpWkUJ4Syr7NTZwc7Q=",
    "7x7oJ6u3dP6zSh7QxSgMuKxq7o3n8kXQ3x6x0w6iHfE=",
]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if not env("DATABASE_URL", "").startswith("postgres"):
    DATABASES["default"] = {
        **sqlite_database(VAR_DIR / "test.sqlite3"),
        "TEST": {"NAME": ""},  # in-memory for unit tests
    }
AXES_ENABLED = True
DEMO_MODE = False
TESTING = True

# Still Argon2id, with the smallest cost parameters, so that the suite stays fast.
PASSWORD_HASHERS = ["comeforward.web.settings.test_hashers.QuickArgon2PasswordHasher"]

# Anonymous enquiries: throw-away key pair and pepper; cheaper scrypt so the suite stays fast;
# no minimum form age (tests that need it set it themselves).
ENQUIRY_PRIVATE_KEY = "ipIKKWrfq7jCRxrp8YhrAgoHTpfMKKcIcYoIiTWz9rw="
ENQUIRY_PUBLIC_KEY = "b50GZ3gYq83+L1dXKdsgAgG1aQLBfXStBH/5axDoyT8="
ENQUIRY_REFERENCE_PEPPER = "11" * 32
LEADS_CARD_HMAC_KEY = "22" * 32
ENQUIRY_SCRYPT_LOG2_N = 10
ENQUIRY_MIN_FORM_SECONDS = 0

# Audit anchor (ADR 0008): off by default, because pytest-django's transactions never commit
# (so no checkpoint would be written); the anchor tests switch it on with a temporary file.
AUDIT_ANCHOR_PATH = None

# A memory cache per process keeps unit tests fast; the enquiry load test switches to the
# shared database cache that the other settings use (tests/enquiries/test_load.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The triage worker's report signing key: made (mode 0600) on first use (issue 11.4).
TRIAGE_SIGNING_KEY_FILE = str(VAR_DIR / "secrets" / "triage-worker-signing-test.key")
TRIAGE_SIGNING_KEY_AUTOCREATE = True
