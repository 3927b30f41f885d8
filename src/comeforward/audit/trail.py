"""Reading the audit trail page: what an administrator may see, filtered by user, case and
local (Europe/London) date (issue 20.7; docs/need-to-know.md).

Kept apart from ``selectors`` so that the trail page's reads are in one place. With several
forces in one database an administrator sees the records of their own organisation's users
only; a record's organisation is the one stored on it when it was written.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from comeforward.roles import Role

from .models import AuditEvent


def trail_events_visible_to(user):
    """Administrators: the records of their own organisation's users. Anyone else: their
    own actions only."""
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


def trail_events(
    user,
    *,
    actor_email: str = "",
    case_reference: str = "",
    on_or_after: dt.date | None = None,
    on_or_before: dt.date | None = None,
):
    """The trail the user may see, narrowed by who acted, which case (by reference) and
    local (Europe/London) dates, newest first."""
    events = trail_events_visible_to(user)
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
