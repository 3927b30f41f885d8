"""Reading the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

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
    """Administrators see the records of their own organisation's users (need-to-know with
    several forces in one database: docs/need-to-know.md); everyone else sees their own
    actions only."""
    if user.has_role(Role.ADMINISTRATOR):
        organisation = getattr(user, "organisation", None)
        if organisation is None:
            return AuditEvent.objects.none()
        return AuditEvent.objects.filter(actor_organisation=organisation.name)
    return AuditEvent.objects.filter(actor_id=user.pk)


def _utc_text(moment: dt.datetime) -> str:
    """``occurred_at`` is stored as ISO 8601 UTC text with a fixed width, so text order is
    time order."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def audit_events_filtered(
    user,
    *,
    actor_email: str = "",
    case_reference: str = "",
    on_or_after: dt.date | None = None,
    on_or_before: dt.date | None = None,
):
    """The trail the user may see, narrowed by who acted, which case (by reference) and
    local (Europe/London) dates, newest first."""
    events = audit_events_visible_to(user)
    if actor_email.strip():
        events = events.filter(actor_email__iexact=actor_email.strip())
    if case_reference.strip():
        events = events.filter(subject_ref__iexact=case_reference.strip())
    zone = timezone.get_current_timezone()
    if on_or_after is not None:
        start = dt.datetime.combine(on_or_after, dt.time.min, tzinfo=zone)
        events = events.filter(occurred_at__gte=_utc_text(start))
    if on_or_before is not None:
        end = dt.datetime.combine(on_or_before + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        events = events.filter(occurred_at__lt=_utc_text(end))
    return events.order_by("-seq")


def local_time(occurred_at: str) -> str:
    """``occurred_at`` (UTC text) as Europe/London local time, e.g. ``3 July 2026 14:05:09
    BST``."""
    try:
        moment = dt.datetime.strptime(occurred_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return occurred_at
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y %H:%M:%S} {local.tzname()}"


def audit_events_for_subject(user, *, subject_type: str, subject_id: str):
    return audit_events_visible_to(user).filter(
        subject_type=subject_type, subject_id=str(subject_id)
    )
