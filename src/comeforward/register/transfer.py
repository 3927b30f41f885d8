"""Transfer of a register record between forces (issue 13.7): a signed, versioned JSON
export of the whole record, imported by another installation; the owning force changes only
when the receiving force accepts, and its signed receipt closes the record at the sender.

Format (``docs/register-transfer.md``)::

    {"schema": "comeforward/register-transfer", "version": 1,
     "payload": {...the whole record...},
     "signature": {"algorithm": "Ed25519", "key_id": "<sha256 of the raw public key>",
                   "value": "<base64 signature of the canonical payload>"}}

The canonical payload is ``json.dumps(payload, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` in UTF-8. A receipt has the same envelope with schema
``comeforward/register-transfer-receipt``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from comeforward.errors import DomainError

SCHEMA = "comeforward/register-transfer"
RECEIPT_SCHEMA = "comeforward/register-transfer-receipt"
VERSION = 1


class TransferRefused(DomainError):
    code = "REGISTER_TRANSFER_INVALID"


class TransferUntrustedKey(DomainError):
    code = "REGISTER_TRANSFER_UNTRUSTED_KEY"


class TransferBadSignature(DomainError):
    code = "REGISTER_TRANSFER_BAD_SIGNATURE"


class TransferUnsupportedVersion(DomainError):
    code = "REGISTER_TRANSFER_UNSUPPORTED_VERSION"


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def payload_sha256(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def sign(schema: str, payload: dict[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    return {
        "schema": schema,
        "version": VERSION,
        "payload": payload,
        "signature": {
            "algorithm": "Ed25519",
            "key_id": key_id(private_key.public_key()),
            "value": base64.b64encode(private_key.sign(canonical(payload))).decode(),
        },
    }


def verify(envelope: Any, schema: str, trusted: dict[str, Ed25519PublicKey]) -> dict[str, Any]:
    """The payload of a signed envelope, or a refusal (fail closed: unknown schema, version or
    key, or any change to the payload)."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), dict):
        raise TransferRefused("This is not a register transfer file")
    if envelope.get("schema") != schema:
        raise TransferRefused(
            "This file is not of the expected kind", details={"schema": envelope.get("schema")}
        )
    if envelope.get("version") != VERSION:
        raise TransferUnsupportedVersion(
            "This transfer format version is not supported",
            details={"version": envelope.get("version"), "supported": [VERSION]},
        )
    signature = envelope.get("signature")
    if not isinstance(signature, dict) or signature.get("algorithm") != "Ed25519":
        raise TransferBadSignature("The file is not signed with Ed25519")
    public = trusted.get(str(signature.get("key_id")))
    if public is None:
        raise TransferUntrustedKey(
            "The file is signed with a key this installation does not trust",
            details={"key_id": signature.get("key_id")},
        )
    try:
        value = base64.b64decode(str(signature.get("value")), validate=True)
        public.verify(value, canonical(envelope["payload"]))
    except (InvalidSignature, ValueError):
        raise TransferBadSignature("The signature does not match the contents") from None
    return envelope["payload"]


def _iso(value: dt.date | dt.time | None) -> str | None:
    return None if value is None else value.isoformat()


def export_payload(record, *, to_force: str, exported_at: dt.datetime) -> dict[str, Any]:
    """The whole register record as plain JSON (values decrypted: the file is sensitive and
    travels signed, over the forces' secure channel)."""
    person = record.case.person
    review = getattr(record, "review_task", None) if record.pk else None
    return {
        "exported_at": exported_at.isoformat().replace("+00:00", "Z"),
        "from_force": {
            "code": record.owning_organisation.code,
            "name": record.owning_organisation.name,
        },
        "to_force": to_force,
        "case_reference": record.case.reference,
        "person": {
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": _iso(person.date_of_birth),
        },
        "record": {
            "offence": record.offence,
            "offence_date": _iso(record.offence_date),
            "offender_dob": _iso(record.offender_dob),
            "youngest_depicted_age": record.youngest_depicted_age,
            "disposal_type": record.disposal_type,
            "relevant_date": _iso(record.relevant_date),
            "period_text": record.period_text,
            "last_day": _iso(record.last_day),
            "under_18_on_relevant_date": record.under_18_on_relevant_date,
            "no_fixed_abode": record.no_fixed_abode,
            "arms_level": record.arms_level,
            "mappa_category": record.mappa_category,
            "mappa_level": record.mappa_level,
            "arms_due": _iso(record.arms_due),
            "home_visit_due": _iso(record.home_visit_due),
        },
        "notifications": [
            {
                "ref": n.pk,
                "kind": n.kind,
                "date": _iso(n.date),
                "matters": list(n.matters),
                "changed_on": _iso(n.changed_on),
                "departure": _iso(n.departure),
                "expected_on": _iso(n.expected_on),
                "police_station": n.police_station,
                "received_by_name": n.received_by_name,
                "details": n.details,
                "trip_ref": n.trip_id,
            }
            for n in record.notifications.order_by("date", "pk")
        ],
        "particulars": [
            {
                "kind": p.kind,
                "value": p.value,
                "masked": p.masked,
                "detail": p.detail,
                "valid_from": _iso(p.valid_from),
                "valid_to": _iso(p.valid_to),
                "notification_ref": p.notification_id,
                "ended_on": _iso(p.ended_on),
                "ended_by_ref": p.ended_by_id,
            }
            for p in record.particulars.order_by("pk")
        ],
        "trips": [
            {
                "ref": t.pk,
                "departure": _iso(t.departure),
                "departure_time": _iso(t.departure_time),
                "planned_return": _iso(t.planned_return),
                "returned_on": _iso(t.returned_on),
                "destinations": t.destinations,
                "departure_point": t.departure_point,
                "arrival_point": t.arrival_point,
                "return_point": t.return_point,
                "carrier": t.carrier,
                "accommodation": t.accommodation,
                "known_on": _iso(t.known_on),
                "return_details_given": t.return_details_given,
            }
            for t in record.trips.order_by("pk")
        ],
        "disregarded_periods": [
            {
                "reason": p.reason,
                "began_on": _iso(p.began_on),
                "ended_on": _iso(p.ended_on),
                "notes": p.notes,
            }
            for p in record.disregarded_periods.order_by("pk")
        ],
        "home_visits": [
            {
                "date": _iso(v.date),
                "announced": v.announced,
                "outcome": v.outcome,
                "next_due": _iso(v.next_due),
                "notes": v.notes,
            }
            for v in record.visits.order_by("pk")
        ],
        "arms_assessments": [
            {"assessed_on": _iso(a.assessed_on), "level": a.level, "next_due": _iso(a.next_due)}
            for a in record.arms.order_by("pk")
        ],
        "breaches": [
            {
                "kind": b.kind,
                "due": _iso(b.due),
                "event_ref": b.event_ref,
                "notified_late_on": _iso(b.notified_late_on),
                "notes": b.notes,
                "evidence": b.evidence,
                "outcome": b.outcome,
                "outcome_notes": b.outcome_notes,
            }
            for b in record.breaches.order_by("pk")
        ],
        "review": None
        if review is None
        else {
            "eligible_from": _iso(review.eligible_from),
            "status": review.status,
            "applied_on": _iso(review.applied_on),
            "determined_on": _iso(review.determined_on),
            "further_review_from": _iso(review.further_review_from),
        },
    }
