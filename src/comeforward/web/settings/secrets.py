"""Load secrets from the environment or from files in ``COMEFORWARD_SECRETS_DIR``.

Secrets never live in the database: the audit HMAC key and the field-encryption keys must be
held where a database administrator cannot reach them (ARCHITECTURE.md §5).
"""

from __future__ import annotations

import os
from pathlib import Path


def read_secret(name: str, *, default: str | None = None) -> str | None:
    """Return secret ``name`` from ``$NAME`` or from ``$COMEFORWARD_SECRETS_DIR/name``."""
    value = os.environ.get(name)
    if value:
        return value.strip()
    directory = os.environ.get("COMEFORWARD_SECRETS_DIR")
    if directory:
        path = Path(directory) / name.lower()
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
    return default
