"""The audit trail: records, justification rule, the hash chain, triggers and verify."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from comeforward.audit.chain import GENESIS, record_hash
from comeforward.audit.models import AuditEvent
from comeforward.audit.operations import Operation
from comeforward.audit.selectors import audit_chain_verify
from comeforward.audit.services import JustificationRequired, audit_key, audit_record

pytestmark = pytest.mark.django_db


def _record(actor=None, operation=Operation.COLLECT, **extra):
    fields = {"subject_type": "case", "subject_id": 7, "scope": "case.summary"} | extra
    return audit_record(actor=actor, operation=operation, **fields)


def test_record_carries_actor_role_organisation_and_utc_time(make_user):
    user = make_user()
    event = _record(user, Operation.CONSULT, justification="I am working on this case")
    assert event.seq == 1
    assert event.actor_id == user.pk
    assert event.actor_email == user.email
    assert event.actor_role == "investigator"
    assert event.actor_organisation == "Testshire Police"
    assert event.occurred_at.endswith("Z")
    assert event.prev_hash == GENESIS
    assert event.justification == "I am working on this case"


@pytest.mark.parametrize("operation", [Operation.CONSULT, Operation.DISCLOSE])
def test_consult_and_disclose_need_a_justification(operation):
    with pytest.raises(JustificationRequired) as error:
        _record(operation=operation, justification="   ")
    assert error.value.code == "JUSTIFICATION_REQUIRED"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "operation", [Operation.COLLECT, Operation.ALTER, Operation.COMBINE, Operation.ERASE]
)
def test_other_operations_do_not_need_one(operation):
    assert _record(operation=operation).operation == operation


def test_each_record_links_to_the_previous_one():
    first, second = _record(), _record()
    assert second.seq == 2
    assert second.prev_hash == first.hash
    row = AuditEvent.objects.filter(pk=second.pk).values().get()
    assert second.hash == record_hash(audit_key(), row)


def test_verify_passes_on_an_intact_chain():
    for _ in range(5):
        _record()
    assert audit_chain_verify() == (5, None)


@pytest.mark.parametrize("statement", ["UPDATE {t} SET scope = 'x'", "DELETE FROM {t}"])
def test_database_refuses_update_and_delete(statement):
    _record()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t=AuditEvent._meta.db_table))
    assert AuditEvent.objects.get().scope == "case.summary"


def _drop_triggers():
    """What an attacker with DDL rights would do first; the chain must still catch them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def _raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(t=AuditEvent._meta.db_table), params)


def _verify_command() -> tuple[int, dict]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def test_verify_command_reports_ok(make_user):
    _record(make_user())
    code, output = _verify_command()
    assert (code, output) == (0, {"ok": True, "records": 1})


def test_edited_record_is_named():
    for _ in range(4):
        _record()
    _drop_triggers()
    _raw("UPDATE {t} SET justification = 'nothing to see' WHERE seq = 3")
    code, output = _verify_command()
    assert code == 2
    assert output["error"]["code"] == "AUDIT_CHAIN_BROKEN"
    assert output["error"]["details"]["seq"] == 3
    assert "edited or re-keyed" in output["error"]["details"]["reason"]


def test_deleted_record_is_detected_at_the_gap():
    for _ in range(4):
        _record()
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq = 2")
    code, output = _verify_command()
    assert code == 2
    assert output["error"]["details"]["seq"] == 3
    assert "gap" in output["error"]["details"]["reason"]


def test_record_inserted_out_of_order_is_detected():
    for _ in range(3):
        _record()
    _drop_triggers()
    # Renumber record 3 to 5 and forge a record 4 after it, keeping the hashes of the originals.
    _raw("UPDATE {t} SET seq = 5 WHERE seq = 3")
    _record()  # appended as seq 6 with the service, links to record "5"
    code, output = _verify_command()
    assert code == 2
    assert output["error"]["details"]["seq"] == 5


def test_rekeyed_chain_is_detected(settings):
    for _ in range(3):
        _record()
    settings.AUDIT_HMAC_KEY = "11" * 32  # someone recomputed the chain with another key
    _record()
    settings.AUDIT_HMAC_KEY = "00" * 32
    code, output = _verify_command()
    assert code == 2
    assert output["error"]["details"]["seq"] == 4


def test_failed_operation_leaves_no_record():
    with pytest.raises(RuntimeError), transaction.atomic():
        _record()
        raise RuntimeError("the operation failed after auditing")
    assert AuditEvent.objects.count() == 0
