"""Where the audit chain's keys and anchor file come from (settings), read by the services
that write records and the selectors that verify them."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from . import anchor


def audit_key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode()


def anchor_path() -> Path | None:
    """Where checkpoints go (``AUDIT_ANCHOR_PATH``); ``None`` switches anchoring off."""
    path = getattr(settings, "AUDIT_ANCHOR_PATH", None)
    return Path(path) if path else None


def anchor_key() -> bytes:
    """``AUDIT_ANCHOR_KEY`` if set (hex or text), else derived from the chain's key."""
    configured = getattr(settings, "AUDIT_ANCHOR_KEY", None)
    if configured:
        return str(configured).encode()
    return anchor.derive_key(audit_key())
