"""Reads about register records, always starting from what the user may see.

Scoping decision (ARCHITECTURE.md §5, need-to-know): managing notification requirements is a
police function of the force that owns the case (MOSOVO / offender management; domain-rules
§4.8 S9). A register record is visible to

- offender managers and supervisors of the owning force: every record of that force (they
  manage the register, whether or not they are on the case team); and
- other users of the owning force who can see the case (its team), through the case's
  visibility.

Partner organisations (assessment service, treatment provider) never see register records,
even when the case is shared with them: they are not part of the owning force. Analysts and
administrators see none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.http import Http404
from django.utils import timezone

from comeforward.accounts.roles import Role
from comeforward.cases.selectors import cases_visible_to

from . import domain
from .models import RegisterRecord, Reminder
from .services import DUE_COLUMNS, recorded_notifications

REGISTER_MANAGERS = frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR})


def records_visible_to(user):
    if not user.is_authenticated or not user.is_active:
        return RegisterRecord.objects.none()
    if user.role in (Role.ANALYST, Role.ADMINISTRATOR):
        return RegisterRecord.objects.none()
    records = RegisterRecord.objects.filter(
        owning_organisation_id=user.organisation_id
    ).select_related("case", "case__person")
    if user.role in REGISTER_MANAGERS:
        return records
    return records.filter(case__in=cases_visible_to(user).values("pk"))


def record_get_for_user(user, *, record_id: int) -> RegisterRecord:
    record = records_visible_to(user).filter(pk=record_id).first()
    if record is None:
        raise Http404("No such register record, or you do not have access to it")
    return record


def record_for_case(user, case) -> RegisterRecord | None:
    return records_visible_to(user).filter(case_id=case.pk).first()


def register_list(user, *, limit: int = 200) -> list[RegisterRecord]:
    """Active records, overdue first (the earliest next due date first, none last)."""
    return list(
        records_visible_to(user)
        .filter(active=True)
        .order_by(F("next_due").asc(nulls_last=True), "pk")[:limit]
    )


@dataclass(frozen=True)
class DueItem:
    kind: str
    label: str
    due: dt.date
    overdue: bool


def record_due_items(record: RegisterRecord, today: dt.date | None = None) -> list[DueItem]:
    """Everything stored as next due on the record, earliest first."""
    today = today or timezone.localdate()
    items = [
        DueItem(kind, domain.DueKind(kind).label, due, due < today)
        for kind, column in DUE_COLUMNS.items()
        if (due := getattr(record, column)) is not None
    ]
    return sorted(items, key=lambda item: item.due)


def record_position(record: RegisterRecord, today: dt.date | None = None):
    """``law.deadlines`` for the record today: every deadline with the Act's sentence."""
    today = today or timezone.localdate()
    notifications = recorded_notifications(record)
    return domain.position(
        relevant_date=record.relevant_date,
        last_day=record.last_day,
        under_18=record.under_18_on_relevant_date,
        no_fixed_abode=record.no_fixed_abode,
        notifications=notifications,
        as_of=max([today, *(n.date for n in notifications)]),
    )


def record_obligation(record: RegisterRecord):
    return domain.obligation(
        domain.RecordFacts(
            offence=record.offence,
            offence_date=record.offence_date,
            offender_dob=record.offender_dob,
            youngest_depicted_age=record.youngest_depicted_age,
            disposal_type=record.disposal_type,
            relevant_date=record.relevant_date,
        )
    )


def record_notifications(record: RegisterRecord):
    return list(record.notifications.select_related("recorded_by").order_by("-date", "-pk"))


def record_visits(record: RegisterRecord):
    return list(record.visits.all())


def record_arms(record: RegisterRecord):
    return list(record.arms.all())


def record_breaches(record: RegisterRecord):
    return list(record.breaches.select_related("opened_by").order_by("-opened_at"))


def record_open_reminders(record: RegisterRecord):
    return list(record.reminders.filter(resolved_at__isnull=True).order_by("due"))


def reminders_for(user, *, limit: int = 200):
    """Open reminders on the records the user may see, overdue first."""
    return list(
        Reminder.objects.filter(
            resolved_at__isnull=True, record__in=records_visible_to(user).values("pk")
        )
        .select_related("record__case__person")
        .order_by("-overdue", "due", "pk")[:limit]
    )
