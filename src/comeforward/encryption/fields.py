"""``EncryptedTextField``: special-category free text encrypted at rest (ARCHITECTURE.md §5).

Admission narratives, assessment narratives, treatment notes and enquiry messages are
special-category data (DPA 2018 s.35(8)). The database only ever sees Fernet tokens
(AES-128-CBC + HMAC-SHA256, with a timestamp); the keys stay outside it.
"""

from __future__ import annotations

from django.db import models

from .keys import decrypt_text, encrypt_text

TOKEN_PREFIX = "gAAAA"  # noqa: S105 - every Fernet token starts with version byte 0x80 → "gAAAA" in base64


class EncryptedTextField(models.TextField):
    description = "Text encrypted with the field-encryption keys"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_internal_type(self) -> str:
        return "TextField"
