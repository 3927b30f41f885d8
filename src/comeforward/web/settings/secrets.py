"""Load secrets from the environment or from files in a secrets directory.

Secrets never live in the database: the audit HMAC key and the field-encryption keys must be
held where a database administrator cannot reach them (ARCHITECTURE.md §5). Where a secret is
looked for, in order (docs/deploy.md "Settings"):

1. the environment variable ``NAME``;
2. a file in ``COMEFORWARD_SECRETS_DIR`` (e.g. ``/run/secrets`` for container secrets) named
   ``name`` (lower case) or ``NAME``;
3. a file in ``CREDENTIALS_DIRECTORY`` (systemd ``LoadCredential=``), named the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

#: What production refuses to start without (besides DATABASE_URL and the allowed hosts).
REQUIRED_SECRETS = (
    "DJANGO_SECRET_KEY",
    "AUDIT_HMAC_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "ENQUIRY_PUBLIC_KEY",
    "ENQUIRY_REFERENCE_PEPPER",
)


def _directories() -> list[Path]:
    return [
        Path(value)
        for value in (
            os.environ.get("COMEFORWARD_SECRETS_DIR"),
            os.environ.get("CREDENTIALS_DIRECTORY"),
        )
        if value
    ]


def read_secret(name: str, *, default: str | None = None) -> str | None:
    """Return secret ``name`` from ``$NAME`` or from a file in a secrets directory."""
    value = os.environ.get(name)
    if value:
        return value.strip()
    for directory in _directories():
        for filename in (name.lower(), name):
            path = directory / filename
            if path.is_file():
                text = path.read_text(encoding="utf-8").strip()
                if text:
                    return text
    return default
