"""Field-encryption keys: held outside the database, first key encrypts, all keys decrypt.

Keys come from settings (``FIELD_ENCRYPTION_KEYS``), which read them from the environment or a
secrets directory (docs/adr/0004-secrets-outside-the-database.md). Rotation: put a new key
first, keep the old ones, run ``comeforward rotate_field_keys``, then drop the old keys.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.cache
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one key")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def field_cipher() -> MultiFernet:
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(plaintext: str) -> str:
    return field_cipher().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    return field_cipher().decrypt(token.encode("ascii")).decode("utf-8")
