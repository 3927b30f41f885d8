"""Writing audit records (DPA 2018 s.62; users-and-security §4.6).

``audit_record`` is called explicitly by every service that collects, alters, consults,
discloses, combines or erases personal data — inside the service's transaction, so that the
record exists if and only if the operation happened.

After the transaction commits, the new head of the chain (count + last hash) is appended as
a signed checkpoint to the anchor file outside the database (``audit.anchor``, ADR 0008), so
that ``audit verify`` can tell when records were removed from the end.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from comeforward.errors import DomainError

from . import anchor
from .chain import GENESIS, record_hash
from .keys import anchor_key, anchor_path, audit_key
from .models import AuditEvent
from .operations import JUSTIFIED_OPERATIONS, Operation, Outcome

_PG_LOCK_ID = 0x63665F61756474  # "cf_audt": serialises chain appends across processes
logger = logging.getLogger(__name__)


class JustificationRequired(DomainError):
    code = "JUSTIFICATION_REQUIRED"


class UnknownOperation(DomainError):
    code = "UNKNOWN_AUDIT_OPERATION"


def anchor_checkpoint(*, count: int, head: str) -> bool:
    """Append a checkpoint now. Never raises: the records are already committed, so a failed
    write is logged and shows as ``unanchored`` records (readiness fails) until the next
    append or ``comeforward audit anchor`` writes a newer checkpoint."""
    path = anchor_path()
    if path is None:
        return False
    try:
        anchor.append(
            path,
            anchor_key(),
            count=count,
            head=head,
            fsync=bool(getattr(settings, "AUDIT_ANCHOR_FSYNC", True)),
        )
    except OSError as error:
        logger.error("Audit anchor not written for record %s: %s", count, error)
        return False
    return True


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
        event = AuditEvent.objects.create(**record)
        if anchor_path() is not None:
            # After commit, never before: a rolled-back record must not be vouched for. A
            # crash in between leaves the anchor behind the database, which verify allows.
            transaction.on_commit(
                lambda: anchor_checkpoint(count=record["seq"], head=record["hash"])
            )
        return event
