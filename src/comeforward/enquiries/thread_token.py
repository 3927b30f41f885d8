"""The token that lets the page of replies send new messages for a short while — opaque
(issue 11.8): it is encrypted and authenticated (Fernet: AES-128-CBC + HMAC-SHA256), so
that the enquiry's database id cannot be read from it, and it expires after
``ENQUIRY_THREAD_TOKEN_SECONDS``. A Django-signed token (``signing.dumps``) is readable
base64 JSON, which would tell the enquirer, and anyone who sees the page, the row number.

The key is derived from ``SECRET_KEY`` for this one purpose; rotating ``SECRET_KEY`` ends
every open reply page, which costs the enquirer only typing their reference again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from .conf import setting
from .errors import FormTokenInvalid

_PURPOSE = b"comeforward.enquiries.thread-token.v1"


def _fernet() -> Fernet:
    digest = hashlib.sha256(_PURPOSE + b"\0" + str(settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def thread_token_issue(enquiry_id: int) -> str:
    """An opaque token naming ``enquiry_id`` (a random nonce makes each one different)."""
    payload = json.dumps({"e": int(enquiry_id), "n": secrets.token_urlsafe(8)}).encode()
    return _fernet().encrypt(payload).decode()


def thread_token_read(token: str) -> int:
    """The enquiry id, or ``FormTokenInvalid`` if the token is forged, changed or expired."""
    try:
        payload = _fernet().decrypt(
            str(token).encode(), ttl=int(setting("ENQUIRY_THREAD_TOKEN_SECONDS"))
        )
        return int(json.loads(payload)["e"])
    except (InvalidToken, KeyError, TypeError, ValueError):
        raise FormTokenInvalid("This page has expired. Enter your reference again.")
