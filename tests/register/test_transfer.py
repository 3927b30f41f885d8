"""13.7 transfer between forces: a signed, versioned export of the whole record, verified on
import, the owning force changing only on acceptance, both sides audited."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from comeforward.audit.models import AuditEvent
from comeforward.register import services
from comeforward.register.models import RegisterRecord, RegisterTransfer
from comeforward.register.transfer import (
    TransferBadSignature,
    TransferRefused,
    TransferUnsupportedVersion,
    TransferUntrustedKey,
    key_id,
)
from comeforward.register.transfer_services import (
    register_transfer_accept,
    register_transfer_confirm,
    register_transfer_export,
    register_transfer_import,
)
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory
from .conftest import open_record

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def keys():
    sender, receiver = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    return {
        "sender": sender,
        "receiver": receiver,
        "trusted": {
            key_id(sender.public_key()): sender.public_key(),
            key_id(receiver.public_key()): receiver.public_key(),
        },
    }


def _full_record(case):
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=None,
        record=record,
        kind="initial",
        date=D(2025, 3, 2),
        particulars=[{"kind": "bank_account", "value": "12345678", "detail": "Test Bank"}],
    )
    services.register_trip_record(
        actor=None,
        record=record,
        departure=D(2025, 5, 1),
        destinations="France",
        known_on=D(2025, 4, 1),
        notified_on=D(2025, 4, 28),
    )
    services.register_period_record(
        actor=None,
        record=record,
        reason="custody",
        began_on=D(2025, 3, 10),
        ended_on=D(2025, 3, 20),
    )
    return record


def test_transfer_round_trip_changes_the_owner_only_on_acceptance(
    case, fixed_today, keys, make_user, police_force
):
    fixed_today(D(2025, 6, 1))
    other = OrganisationFactory(kind=OrganisationType.POLICE_FORCE, code="other-force")
    sender_om = make_user(Role.OFFENDER_MANAGER)
    receiver_om = make_user(Role.OFFENDER_MANAGER, organisation=other)
    record = _full_record(case)
    envelope = register_transfer_export(
        actor=sender_om, record=record, to_force="other-force", signing_key=keys["sender"]
    )
    assert (envelope["schema"], envelope["version"]) == ("comeforward/register-transfer", 1)
    assert envelope["payload"]["particulars"][0]["value"] == "12345678"
    record.refresh_from_db()
    assert (record.owning_organisation_id, record.active) == (police_force.pk, True)
    assert AuditEvent.objects.filter(scope="register.transfer_export").count() == 1

    transfer = register_transfer_import(
        actor=receiver_om, envelope=envelope, organisation=other, trusted_keys=keys["trusted"]
    )
    assert transfer.status == "pending"
    assert RegisterRecord.objects.filter(owning_organisation=other).count() == 0
    receipt = register_transfer_accept(
        actor=receiver_om, transfer=transfer, signing_key=keys["receiver"]
    )
    moved = RegisterRecord.objects.get(owning_organisation=other)
    assert (moved.relevant_date, moved.last_day) == (record.relevant_date, record.last_day)
    assert moved.particulars.get().masked == "••••5678"
    assert moved.trips.get().notifications.get().date == D(2025, 4, 28)
    assert moved.disregarded_periods.get().began_on == D(2025, 3, 10)
    assert moved.next_periodic_due == record.next_periodic_due
    assert moved.late_count == record.late_count == 1  # travel notified late: same law answer
    assert AuditEvent.objects.filter(scope="register.transfer_accept").count() == 1

    record.refresh_from_db()
    assert record.active is True  # not until the receipt is confirmed
    register_transfer_confirm(actor=sender_om, receipt=receipt, trusted_keys=keys["trusted"])
    record.refresh_from_db()
    assert (record.active, record.transferred_to, record.next_due) == (False, "other-force", None)
    assert AuditEvent.objects.filter(scope="register.transferred").count() == 1
    out = RegisterTransfer.objects.get(direction="out")
    assert out.status == "accepted"


def test_tampered_untrusted_or_unknown_version_files_are_refused(
    case, fixed_today, keys, police_force
):
    fixed_today(D(2025, 6, 1))
    other = OrganisationFactory(kind=OrganisationType.POLICE_FORCE, code="other-force")
    record = _full_record(case)
    envelope = register_transfer_export(
        actor=None, record=record, to_force="other-force", signing_key=keys["sender"]
    )
    tampered = copy.deepcopy(envelope)
    tampered["payload"]["record"]["last_day"] = "2099-01-01"
    with pytest.raises(TransferBadSignature):
        register_transfer_import(
            actor=None, envelope=tampered, organisation=other, trusted_keys=keys["trusted"]
        )
    with pytest.raises(TransferUntrustedKey):
        register_transfer_import(actor=None, envelope=envelope, organisation=other, trusted_keys={})
    newer = copy.deepcopy(envelope) | {"version": 2}
    with pytest.raises(TransferUnsupportedVersion):
        register_transfer_import(
            actor=None, envelope=newer, organisation=other, trusted_keys=keys["trusted"]
        )
    with pytest.raises(TransferRefused):  # addressed to another force
        register_transfer_import(
            actor=None, envelope=envelope, organisation=police_force, trusted_keys=keys["trusted"]
        )
    assert RegisterTransfer.objects.filter(direction="in").count() == 0
    register_transfer_import(
        actor=None, envelope=envelope, organisation=other, trusted_keys=keys["trusted"]
    )
    with pytest.raises(TransferRefused):  # the same file twice
        register_transfer_import(
            actor=None, envelope=envelope, organisation=other, trusted_keys=keys["trusted"]
        )


def test_command_keygen_export_import_and_errors(case, fixed_today, tmp_path):
    import io
    import json

    from django.core.management import call_command

    fixed_today(D(2025, 6, 1))
    OrganisationFactory(kind=OrganisationType.POLICE_FORCE, code="other-force")
    record = _full_record(case)
    out = io.StringIO()
    call_command("register_transfer", "keygen", "--out", str(tmp_path / "a"), stdout=out)
    file = tmp_path / "t.json"
    call_command(
        "register_transfer",
        "export",
        "--record",
        str(record.pk),
        "--to",
        "other-force",
        "--key",
        str(tmp_path / "a.key"),
        "--out",
        str(file),
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command(
        "register_transfer",
        "import",
        str(file),
        "--force",
        "other-force",
        "--trusted",
        str(tmp_path / "a.pub"),
        stdout=out,
    )
    assert json.loads(out.getvalue())["status"] == "pending"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("register_transfer", "import", str(file), "--force", "other-force", stdout=out)
    assert exit_.value.code == 2
    assert json.loads(out.getvalue())["error"]["code"] == "REGISTER_TRANSFER_UNTRUSTED_KEY"
