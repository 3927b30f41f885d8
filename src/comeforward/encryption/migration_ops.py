"""Data-migration helpers: encrypt the existing rows of a column that has just become an
``EncryptedTextField`` (and decrypt them again when the migration is reversed).

Raw SQL on purpose: a historical model would read the column through the new field, which
tries to decrypt the plaintext already there. Values that already look like Fernet tokens are
left alone, so running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .fields import TOKEN_PREFIX
from .keys import decrypt_text, encrypt_text


def _rewrite(schema_editor, table: str, column: str, change, *, encrypted: bool) -> None:
    qn = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {qn(column)} FROM {qn(table)}")  # noqa: S608 - names from code
        rows = [(pk, value) for pk, value in cursor.fetchall() if value]
        for pk, value in rows:
            if value.startswith(TOKEN_PREFIX) != encrypted:
                continue
            cursor.execute(
                f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s",  # noqa: S608
                [change(value), pk],
            )


def encrypt_columns(columns: Iterable[tuple[str, str]]):
    """A ``RunPython`` pair (forward, backward) for ``[(table, column), …]``."""
    columns = list(columns)

    def forward(apps, schema_editor):
        for table, column in columns:
            _rewrite(schema_editor, table, column, encrypt_text, encrypted=False)

    def backward(apps, schema_editor):
        for table, column in columns:
            _rewrite(schema_editor, table, column, decrypt_text, encrypted=True)

    return forward, backward
