"""Reading the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from comeforward.roles import Role

from . import anchor
from .chain import CHAINED_FIELDS, Break, verify
from .keys import anchor_key, anchor_path, audit_key
from .models import AuditEvent

CHAIN_BROKEN = "AUDIT_CHAIN_BROKEN"


def _rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    fields = ("id", "hash", *CHAINED_FIELDS)
    return AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk_size)


def audit_chain_verify(*, chunk_size: int = 5000) -> tuple[int, Break | None]:
    """Check every record of the chain, streaming in ``seq`` order (the chain alone)."""
    return verify(audit_key(), _rows(chunk_size))


@dataclass(frozen=True)
class AuditVerification:
    """The chain checked record by record, then its head against the anchor (ADR 0008)."""

    ok: bool
    records: int  # records checked
    code: str | None = None  # AUDIT_CHAIN_BROKEN, AUDIT_TRUNCATED, AUDIT_ANCHOR_* or None
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    anchor: dict[str, Any] | None = None  # None when anchoring is switched off

    def as_dict(self) -> dict[str, Any]:
        if self.ok:
            out: dict[str, Any] = {"ok": True, "records": self.records}
            if self.anchor is not None:
                out["anchor"] = self.anchor
            return out
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def audit_verify(*, chunk_size: int = 5000) -> AuditVerification:
    """Verify the chain (edits, deletions in the middle, reordering, insertion, re-keying) and
    compare it with the anchor file (removal from the end, all records removed, history
    rewritten under the key). One streaming pass over the table."""
    path = anchor_path()
    matcher = None
    if path is not None:
        try:
            checkpoints = anchor.read(path, anchor_key())
        except anchor.AnchorInvalid as error:
            return AuditVerification(False, 0, error.code, error.message, error.details)
        matcher = anchor.Matcher(checkpoints)
    rows = _rows(chunk_size)
    count, broken = verify(audit_key(), matcher.watch(rows) if matcher else rows)
    if broken is not None:
        details = {
            "seq": broken.seq,
            "record_id": broken.record_id,
            "reason": broken.reason,
            "records_checked": count,
        }
        return AuditVerification(
            False, count, CHAIN_BROKEN, f"Audit record {broken.seq}: {broken.reason}", details
        )
    if matcher is None:
        return AuditVerification(True, count)
    comparison = matcher.result()
    details = {**comparison.as_details(), "anchor_path": str(path)}
    if not comparison.ok:
        return AuditVerification(False, count, comparison.code, comparison.message, details)
    return AuditVerification(True, count, anchor=comparison.as_details())


def anchor_status() -> dict[str, Any]:
    """A cheap check of the anchor for the readiness probe (``/readyz``).

    Reads only the end of the anchor file and the matching record; the full comparison is
    ``audit_verify``. ``ok`` is false when anchoring is configured and the file is missing
    while records exist, unreadable, not signed with our key, ahead of the database
    (truncation), vouches for another hash, or more than ``AUDIT_ANCHOR_MAX_UNANCHORED``
    records behind the database (anchor writes are failing). Never raises."""
    path = anchor_path()
    if path is None:
        return {"ok": True, "configured": False}
    status: dict[str, Any] = {"configured": True, "path": str(path)}
    last = AuditEvent.objects.order_by("-seq").values("seq").first()
    records = last["seq"] if last else 0
    try:
        checkpoints = anchor.read_tail(path, anchor_key())
    except anchor.AnchorInvalid as error:
        return {**status, "ok": False, "code": error.code, "message": error.message}
    except OSError as error:
        return {**status, "ok": False, "code": "AUDIT_ANCHOR_UNREADABLE", "message": str(error)}
    if checkpoints is None:
        if records:
            return {
                **status,
                "ok": False,
                "code": anchor.MISSING,
                "message": "The audit anchor file is missing",
                "records": records,
            }
        return {**status, "ok": True, "records": 0, "anchored": 0, "unanchored": 0}
    head = max(checkpoints, default=None, key=lambda c: c.count)
    anchored = head.count if head else 0
    status.update(records=records, anchored=anchored, unanchored=max(0, records - anchored))
    if anchored > records:
        return {**status, "ok": False, "code": anchor.TRUNCATED, "message": "truncated"}
    if head is not None and anchored:
        stored = AuditEvent.objects.filter(seq=anchored).values_list("hash", flat=True).first()
        if stored != head.head:
            return {**status, "ok": False, "code": anchor.MISMATCH, "message": "rewritten"}
    limit = int(getattr(settings, "AUDIT_ANCHOR_MAX_UNANCHORED", 100))
    if status["unanchored"] > limit:
        return {
            **status,
            "ok": False,
            "code": "AUDIT_ANCHOR_BEHIND",
            "message": f"More than {limit} audit records are not anchored",
        }
    return {**status, "ok": True}


def audit_events_visible_to(user):
    """Administrators see the whole trail; everyone else sees their own actions only."""
    if user.has_role(Role.ADMINISTRATOR):
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(actor_id=user.pk)


def audit_events_for_subject(user, *, subject_type: str, subject_id: str):
    return audit_events_visible_to(user).filter(
        subject_type=subject_type, subject_id=str(subject_id)
    )


def audit_chain_head() -> dict[str, Any] | None:
    """The newest record's ``seq`` and ``hash`` (readiness probe: the chain is readable)."""
    return AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
