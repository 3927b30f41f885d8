"""Writing audit records (DPA 2018 s.62; users-and-security §4.6).

``audit_record`` is called explicitly by every service that collects, alters, consults,
discloses, combines or erases personal data — inside the service's transaction, so that the
record exists if and only if the operation happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from comeforward.errors import DomainError

from .chain import GENESIS, record_hash
from .models import AuditEvent
from .operations import JUSTIFIED_OPERATIONS, Operation, Outcome

_PG_LOCK_ID = 0x63665F61756474  # "cf_audt": serialises chain appends across processes


class JustificationRequired(DomainError):
    code = "JUSTIFICATION_REQUIRED"


class UnknownOperation(DomainError):
    code = "UNKNOWN_AUDIT_OPERATION"


def audit_key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode()


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_email": "", "actor_role": "", "actor_organisation": ""}
    organisation = getattr(actor, "organisation", None)
    return {
        "actor_id": actor.pk,
        "actor_email": actor.email,
        "actor_role": actor.role,
        "actor_organisation": organisation.name if organisation else "",
    }


def audit_record(
    *,
    actor,
    operation: str,
    subject_type: str,
    subject_id: str | int = "",
    subject_ref: str = "",
    scope: str,
    justification: str = "",
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one record to the chain. Consult and disclose need a justification (s.62(2))."""
    if operation not in Operation.values:
        raise UnknownOperation(f"Unknown audit operation {operation!r}")
    if operation in JUSTIFIED_OPERATIONS and not justification.strip():
        raise JustificationRequired(
            f"A justification is required to {operation} personal data",
            details={"operation": operation, "subject_type": subject_type},
        )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        record: dict[str, Any] = {
            "seq": (last["seq"] + 1) if last else 1,
            "occurred_at": _now(),
            "operation": str(operation),
            **_actor_fields(actor),
            "subject_type": subject_type,
            "subject_id": str(subject_id),
            "subject_ref": subject_ref,
            "scope": scope,
            "justification": justification.strip(),
            "outcome": str(outcome),
            "details": details or {},
            "prev_hash": last["hash"] if last else GENESIS,
        }
        record["hash"] = record_hash(audit_key(), record)
        return AuditEvent.objects.create(**record)
