"""Local development and the one-command demo: SQLite, synthetic data, keys made on first run.

DEBUG stays off so that no page ever shows a traceback; static files are served by Django
because the demo has no separate web server (``DEMO_MODE``).
"""

from __future__ import annotations

import base64
import secrets as _secrets

from nacl.public import PrivateKey

from .base import *  # noqa: F403
from .base import VAR_DIR, env
from .secrets import read_secret

DEBUG = env("COMEFORWARD_DEBUG", "") == "1"
DEMO_MODE = True

_SECRETS_DIR = VAR_DIR / "secrets"


def _local_secret(name: str, *, fernet: bool = False) -> str:
    """A secret from the environment, else from var/secrets/, made once on first use."""
    value = read_secret(name)
    if value:
        return value
    path = _SECRETS_DIR / name.lower()
    if not path.exists():
        _SECRETS_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        raw = _secrets.token_bytes(32)
        path.write_text(
            base64.urlsafe_b64encode(raw).decode() if fernet else raw.hex(), encoding="utf-8"
        )
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _local_secret("DJANGO_SECRET_KEY")
AUDIT_HMAC_KEY = _local_secret("AUDIT_HMAC_KEY")
FIELD_ENCRYPTION_KEYS = [_local_secret("FIELD_ENCRYPTION_KEY", fernet=True)]

# Anonymous enquiries: dev holds both halves of the key pair (one process plays both sides).
ENQUIRY_PRIVATE_KEY = _local_secret("ENQUIRY_PRIVATE_KEY", fernet=True)
ENQUIRY_PUBLIC_KEY = base64.b64encode(
    bytes(PrivateKey(base64.urlsafe_b64decode(ENQUIRY_PRIVATE_KEY)).public_key)
).decode()
ENQUIRY_REFERENCE_PEPPER = _local_secret("ENQUIRY_REFERENCE_PEPPER")
LEADS_CARD_HMAC_KEY = _local_secret("LEADS_CARD_HMAC_KEY")

# The triage worker's report signing key, made (mode 0600) on first use (issue 11.4).
TRIAGE_SIGNING_KEY_FILE = env(
    "COMEFORWARD_TRIAGE_SIGNING_KEY_FILE", str(_SECRETS_DIR / "triage-worker-signing.key")
)
TRIAGE_SIGNING_KEY_AUTOCREATE = True
