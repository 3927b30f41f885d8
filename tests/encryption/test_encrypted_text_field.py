"""Field encryption: stored bytes are never plaintext; keys rotate without data loss."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection, models

from comeforward.encryption.fields import TOKEN_PREFIX, EncryptedTextField
from comeforward.encryption.keys import _multifernet, decrypt_text, encrypt_text
from comeforward.encryption.services import field_keys_rotate

pytestmark = pytest.mark.django_db


class Note(models.Model):
    """A model that exists only in this test module."""

    text = EncryptedTextField(blank=True)

    class Meta:
        app_label = "encryption"


@pytest.fixture(scope="module")
def note_table(django_db_setup, django_db_blocker):
    """Create the table outside the per-test transaction (SQLite needs that for DDL)."""
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Note)
    yield Note
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(Note)


def _stored(note) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {Note._meta.db_table} WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


ADMISSION = "I looked at the material on my laptop between 2019 and 2024."


def test_stored_value_is_not_plaintext(note_table):
    note = Note.objects.create(text=ADMISSION)
    stored = _stored(note)
    assert stored.startswith(TOKEN_PREFIX)
    assert "laptop" not in stored
    assert Note.objects.get(pk=note.pk).text == ADMISSION


def test_empty_and_null_stay_empty(note_table):
    assert _stored(Note.objects.create(text="")) == ""


def test_wrong_key_cannot_read(note_table, settings):
    note = Note.objects.create(text=ADMISSION)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        Note.objects.get(pk=note.pk)


def test_rotation_re_encrypts_with_the_new_first_key(note_table, settings):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    note = Note.objects.create(text=ADMISSION)
    before = _stored(note)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    counts = field_keys_rotate()
    assert counts["encryption.Note"] == 1
    after = _stored(note)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == ADMISSION
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # old keys can now be dropped
    assert Note.objects.get(pk=note.pk).text == ADMISSION


def test_helpers_round_trip_unicode():
    text = "Ünïcödé — “quotes” and emoji 🙂"
    assert decrypt_text(encrypt_text(text)) == text


def test_no_keys_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        _multifernet(())
