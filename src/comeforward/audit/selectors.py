"""Reading the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from comeforward.accounts.roles import Role

from .chain import CHAINED_FIELDS, Break, verify
from .models import AuditEvent
from .services import audit_key


def audit_chain_verify(*, chunk_size: int = 5000) -> tuple[int, Break | None]:
    """Check every record of the chain, streaming in ``seq`` order."""
    fields = ("id", "hash", *CHAINED_FIELDS)
    rows: Iterator[dict[str, Any]] = (
        AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk_size)
    )
    return verify(audit_key(), rows)


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
