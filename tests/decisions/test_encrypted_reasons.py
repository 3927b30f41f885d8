"""Issue 11.8: decision, breach and treatment reasons and the assessment judgement are
encrypted at rest, and the data migrations encrypt rows written before."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from comeforward.assessments.models import Assessment
from comeforward.decisions.models import CaseOutcome, Decision, ProsecutionReferral, SchemeExit
from comeforward.encryption.fields import EncryptedTextField
from comeforward.treatment.models import BreachReview, TreatmentReferral, TreatmentSession

pytestmark = pytest.mark.django_db

FIELDS = [
    (Assessment, "judgement"),
    (Decision, "reason_text"),
    (Decision, "approval_note"),
    (CaseOutcome, "note"),
    (ProsecutionReferral, "reasons"),
    (SchemeExit, "reason_text"),
    (BreachReview, "reason"),
    (BreachReview, "decision_reason"),
    (TreatmentReferral, "outcome_reason"),
    (TreatmentSession, "missed_reason"),
]

MIGRATIONS = [
    ("comeforward.decisions.migrations.0002_s23_requirements_exits_corrections", "decisions"),
    ("comeforward.treatment.migrations.0003_encrypt_reasons", "treatment"),
    ("comeforward.assessments.migrations.0002_encrypt_judgement", "assessments"),
]


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_the_field_is_encrypted(model, name):
    assert isinstance(model._meta.get_field(name), EncryptedTextField)


class _Editor:
    connection = connection


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_migrations_encrypt_existing_rows_and_reverse(police_force):
    from ..factories import CaseFactory
    from ..treatment.conftest import give_caution

    decision = give_caution(CaseFactory(owning_organisation=police_force)).decision
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE decisions_decision SET reason_text = %s WHERE id = %s",
            ["Plain words from before", decision.pk],
        )
    module = importlib.import_module(MIGRATIONS[0][0])
    module.ENCRYPT(None, _Editor())
    stored = _raw("decisions_decision", "reason_text", decision.pk)
    assert stored.startswith("gAAAA") and "Plain" not in stored
    module.ENCRYPT(None, _Editor())  # twice: unchanged
    assert _raw("decisions_decision", "reason_text", decision.pk) == stored
    decision.refresh_from_db()
    assert decision.reason_text == "Plain words from before"
    module.DECRYPT(None, _Editor())
    assert _raw("decisions_decision", "reason_text", decision.pk) == "Plain words from before"


@pytest.mark.parametrize(("module", "app"), MIGRATIONS)
def test_each_migration_names_its_encrypted_columns(module, app):
    migration = importlib.import_module(module)
    assert callable(migration.ENCRYPT) and callable(migration.DECRYPT)
    ops = [type(op).__name__ for op in migration.Migration.operations]
    assert ops[-1] == "RunPython"
