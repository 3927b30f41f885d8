"""Writes for transfers between forces (13.7): export, import, accept, confirm. One
transaction and one audit record each; the owning force changes only on acceptance."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record

from .models import (
    ArmsAssessment,
    DisregardedPeriod,
    HomeVisit,
    Particular,
    RegisterBreach,
    RegisterNotification,
    RegisterRecord,
    RegisterTransfer,
    Trip,
)
from .services import _actor, _audit, _recompute, _today
from .transfer import (
    RECEIPT_SCHEMA,
    SCHEMA,
    TransferRefused,
    export_payload,
    payload_sha256,
    sign,
    verify,
)


def register_transfer_export(
    *, actor, record: RegisterRecord, to_force: str, signing_key, reason: str = ""
) -> dict[str, Any]:
    """The signed export of the whole record for ``to_force``. The record stays with this
    force (and active) until the receiving force's receipt is confirmed. ``reason``: why
    (the disclosure's justification, with the purpose)."""
    to_force = to_force.strip()
    if not to_force or to_force == record.owning_organisation.code:
        raise TransferRefused(
            "Name the receiving force (another force)",
            details={"fields": {"to_force": "Enter the code of another force"}},
        )
    if record.transferred_to:
        raise TransferRefused("This record has already been transferred")
    payload = export_payload(record, to_force=to_force, exported_at=timezone.now())
    envelope = sign(SCHEMA, payload, signing_key)
    digest = payload_sha256(payload)
    with transaction.atomic():
        RegisterTransfer.objects.create(
            direction="out",
            record=record,
            organisation=record.owning_organisation,
            from_force=record.owning_organisation.code,
            to_force=to_force,
            status="sent",
            payload_sha256=digest,
            created_by=_actor(actor),
        )
        audit_record(  # a disclosure to another force: its purpose is the justification
            actor=actor,
            operation=Operation.DISCLOSE,
            subject_type="case",
            subject_id=record.case_id,
            subject_ref=record.case.reference,
            scope="register.transfer_export",
            justification=f"Transfer of the notification requirements record to {to_force}"
            + (f": {reason.strip()[:500]}" if reason.strip() else ""),
            details={
                "register_record": record.pk,
                "to_force": to_force,
                "payload_sha256": digest,
                "key_id": envelope["signature"]["key_id"],
            },
        )
    return envelope


def _transfer_audit(actor, transfer: RegisterTransfer, scope: str, **details) -> None:
    audit_record(
        actor=actor,
        operation=Operation.COLLECT,
        subject_type="register_transfer",
        subject_id=transfer.pk,
        scope=scope,
        details={
            "from_force": transfer.from_force,
            "to_force": transfer.to_force,
            "payload_sha256": transfer.payload_sha256,
            **details,
        },
    )


def register_transfer_import(
    *, actor, envelope: Any, organisation, trusted_keys: dict
) -> RegisterTransfer:
    """Verify a transfer file (signature from a trusted key, schema, version, addressed to
    this force) and hold it for acceptance. Nothing is created in the register yet."""
    payload = verify(envelope, SCHEMA, trusted_keys)
    if payload.get("to_force") != organisation.code:
        raise TransferRefused(
            "This transfer is addressed to another force",
            details={"to_force": payload.get("to_force"), "this_force": organisation.code},
        )
    digest = payload_sha256(payload)
    with transaction.atomic():
        if RegisterTransfer.objects.filter(
            direction="in", organisation=organisation, payload_sha256=digest
        ).exists():
            raise TransferRefused("This transfer file has already been imported")
        transfer = RegisterTransfer.objects.create(
            direction="in",
            organisation=organisation,
            from_force=str(payload.get("from_force", {}).get("code", "")),
            to_force=organisation.code,
            status="pending",
            payload_sha256=digest,
            envelope=json.dumps(envelope),
            created_by=_actor(actor),
        )
        _transfer_audit(actor, transfer, "register.transfer_import")
    return transfer


def _d(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def register_transfer_accept(*, actor, transfer: RegisterTransfer, signing_key) -> dict:
    """The receiving force accepts: the person, a case and the whole register record are
    created here, owned by this force, and every deadline is recomputed by law. Returns the
    signed receipt for the sending force."""
    if transfer.direction != "in" or transfer.status != "pending":
        raise TransferRefused("Only a pending imported transfer can be accepted")
    from comeforward.cases.services import case_open
    from comeforward.people.services import person_create

    payload = json.loads(transfer.envelope)["payload"]
    with transaction.atomic():
        locked = RegisterTransfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.status != "pending":  # accepted or refused meanwhile
            raise TransferRefused("Only a pending imported transfer can be accepted")
        p = payload["person"]
        person = person_create(
            actor=actor,
            given_names=p["given_names"],
            family_name=p["family_name"],
            date_of_birth=_d(p["date_of_birth"]),
        )
        case = case_open(actor=actor, person=person, owning_organisation=transfer.organisation)
        r = payload["record"]
        record = RegisterRecord(
            case=case,
            owning_organisation=transfer.organisation,
            offence=r["offence"],
            offence_date=_d(r["offence_date"]),
            offender_dob=_d(r["offender_dob"]),
            youngest_depicted_age=r["youngest_depicted_age"],
            disposal_type=r["disposal_type"],
            relevant_date=_d(r["relevant_date"]),
            period_text=r["period_text"],
            last_day=_d(r["last_day"]),
            under_18_on_relevant_date=r["under_18_on_relevant_date"],
            no_fixed_abode=r["no_fixed_abode"],
            arms_level=r["arms_level"],
            mappa_category=r["mappa_category"],
            mappa_level=r["mappa_level"],
            arms_due=_d(r["arms_due"]),
            home_visit_due=_d(r["home_visit_due"]),
        )
        record.save()
        trips = {}
        for t in payload["trips"]:
            trips[t["ref"]] = Trip.objects.create(
                record=record,
                departure=_d(t["departure"]),
                departure_time=dt.time.fromisoformat(t["departure_time"])
                if t["departure_time"]
                else None,
                planned_return=_d(t["planned_return"]),
                returned_on=_d(t["returned_on"]),
                destinations=t["destinations"],
                departure_point=t["departure_point"],
                arrival_point=t["arrival_point"],
                return_point=t["return_point"],
                carrier=t["carrier"],
                accommodation=t["accommodation"],
                known_on=_d(t["known_on"]),
                return_details_given=t["return_details_given"],
            )
        notifications = {}
        for n in payload["notifications"]:
            notifications[n["ref"]] = RegisterNotification.objects.create(
                record=record,
                kind=n["kind"],
                date=_d(n["date"]),
                matters=n["matters"],
                changed_on=_d(n["changed_on"]),
                departure=_d(n["departure"]),
                expected_on=_d(n["expected_on"]),
                police_station=n["police_station"],
                received_by_name=n["received_by_name"],
                details=n["details"],
                trip=trips.get(n["trip_ref"]),
            )
        for q in payload["particulars"]:
            Particular.objects.create(
                record=record,
                kind=q["kind"],
                value=q["value"],
                masked=q["masked"],
                detail=q["detail"],
                valid_from=_d(q["valid_from"]),
                valid_to=_d(q["valid_to"]),
                notification=notifications.get(q["notification_ref"]),
                ended_on=_d(q["ended_on"]),
                ended_by=notifications.get(q["ended_by_ref"]),
            )
        for q in payload["disregarded_periods"]:
            DisregardedPeriod.objects.create(
                record=record,
                reason=q["reason"],
                began_on=_d(q["began_on"]),
                ended_on=_d(q["ended_on"]),
                notes=q["notes"],
            )
        for v in payload["home_visits"]:
            HomeVisit.objects.create(
                record=record,
                date=_d(v["date"]),
                announced=v["announced"],
                outcome=v["outcome"],
                next_due=_d(v["next_due"]),
                notes=v["notes"],
            )
        for a in payload["arms_assessments"]:
            ArmsAssessment.objects.create(
                record=record,
                assessed_on=_d(a["assessed_on"]),
                level=a["level"],
                next_due=_d(a["next_due"]),
            )
        for b in payload["breaches"]:
            RegisterBreach.objects.create(
                record=record,
                kind=b["kind"],
                due=_d(b["due"]),
                event_ref=b["event_ref"],
                notified_late_on=_d(b["notified_late_on"]),
                notes=b["notes"],
                evidence=b["evidence"],
                outcome=b["outcome"],
                outcome_notes=b["outcome_notes"],
            )
        _recompute(record, _today())
        transfer.record = record
        transfer.status = "accepted"
        transfer.envelope = ""
        transfer.decided_by = _actor(actor)
        transfer.decided_at = timezone.now()
        receipt = sign(
            RECEIPT_SCHEMA,
            {
                "payload_sha256": transfer.payload_sha256,
                "from_force": transfer.from_force,
                "accepted_by": transfer.organisation.code,
                "accepted_at": transfer.decided_at.isoformat().replace("+00:00", "Z"),
            },
            signing_key,
        )
        transfer.receipt = json.dumps(receipt)
        transfer.save()
        _transfer_audit(actor, transfer, "register.transfer_accept", register_record=record.pk)
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.record",
            transferred_from=transfer.from_force,
            payload_sha256=transfer.payload_sha256,
        )
    return receipt


def register_transfer_refuse(*, actor, transfer: RegisterTransfer, reason: str) -> RegisterTransfer:
    """The receiving force refuses a pending imported transfer, with its reason: nothing is
    created here, the held file (special-category data in clear) is deleted, and the sending
    force keeps the record (its outbound transfer stays *sent* until it hears otherwise)."""
    if not reason.strip():
        raise TransferRefused(
            "Give the reason for refusing the transfer", details={"fields": {"reason": "required"}}
        )
    with transaction.atomic():
        transfer = RegisterTransfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.direction != "in" or transfer.status != "pending":
            raise TransferRefused("Only a pending imported transfer can be refused")
        transfer.status = "refused"
        transfer.envelope = ""
        transfer.reason = reason.strip()[:4000]
        transfer.decided_by = _actor(actor)
        transfer.decided_at = timezone.now()
        transfer.save()
        _transfer_audit(actor, transfer, "register.transfer_refuse")
    return transfer


def register_transfer_confirm(*, actor, receipt: Any, trusted_keys: dict) -> RegisterRecord:
    """The sending force confirms the receiving force's signed receipt: only now does the
    record leave this force (closed here, ``transferred_to`` set, reminders stop)."""
    payload = verify(receipt, RECEIPT_SCHEMA, trusted_keys)
    with transaction.atomic():
        transfer = (
            RegisterTransfer.objects.select_for_update()
            .filter(direction="out", status="sent", payload_sha256=payload.get("payload_sha256"))
            .first()
        )
        if transfer is None or transfer.to_force != payload.get("accepted_by"):
            raise TransferRefused("No transfer sent by this force matches the receipt")
        record = RegisterRecord.objects.select_related("case").get(pk=transfer.record_id)
        transfer.status = "accepted"
        transfer.decided_by = _actor(actor)
        transfer.decided_at = timezone.now()
        transfer.save()
        record.transferred_to = transfer.to_force
        record.ended_on = _today()
        record.save(update_fields=["transferred_to", "ended_on"])
        _recompute(record, _today())
        record.reminders.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        _audit(
            actor,
            record,
            Operation.ALTER,
            "register.transferred",
            to_force=transfer.to_force,
            payload_sha256=transfer.payload_sha256,
        )
    return record
