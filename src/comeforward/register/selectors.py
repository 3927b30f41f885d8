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

from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from comeforward.cases.selectors import cases_visible_to
from comeforward.roles import Role

from . import domain
from .domain import (
    DueKind,
    RecordedNotification,
    RecordedPeriod,
    RecordedTrip,
    ReviewStatus,
)
from .models import (
    RegisterNotification,
    RegisterRecord,
    RegisterTransfer,
    Reminder,
    ReviewTask,
    Trip,
)

#: The stored column behind each kind of deadline (what the sweep scans).
DUE_COLUMNS: dict[str, str] = {
    DueKind.INITIAL: "initial_due",
    DueKind.PERIODIC: "next_periodic_due",
    DueKind.ARMS: "arms_due",
    DueKind.HOME_VISIT: "home_visit_due",
    DueKind.EVENT: "event_due",
    DueKind.REVIEW: "review_due",
}


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
    """``law.deadlines`` for the record today: every deadline with the Act's sentence, with
    the disregarded periods and every trip."""
    return record_law_position(record, today or timezone.localdate())


def record_duties(position) -> list[domain.Duty]:
    """Every notice law shows as overdue or made late: each can be put to a s.91 review."""
    return domain.duties_in_breach(position)


def record_particulars(record: RegisterRecord):
    """Current particulars first, then the history (ended ones), newest first."""
    rows = list(
        record.particulars.select_related("notification", "ended_by").order_by("kind", "-pk")
    )
    return (
        [p for p in rows if p.ended_on is None],
        sorted((p for p in rows if p.ended_on is not None), key=lambda p: p.ended_on, reverse=True),
    )


def record_periods(record: RegisterRecord):
    return list(record.disregarded_periods.order_by("-began_on", "-pk"))


def record_trips(record: RegisterRecord):
    return list(record.trips.prefetch_related("notifications").order_by("-departure", "-pk"))


def record_review_task(record: RegisterRecord):
    return ReviewTask.objects.filter(record=record).first()


def trip_get_for_user(user, *, record: RegisterRecord, trip_id: int):
    trip = record.trips.filter(pk=trip_id).first()
    if trip is None:
        raise Http404("No such trip")
    return trip


def period_get_for_user(user, *, record: RegisterRecord, period_id: int):
    period = record.disregarded_periods.filter(pk=period_id).first()
    if period is None:
        raise Http404("No such period")
    return period


def breach_get_for_user(user, *, record: RegisterRecord, breach_id: int):
    breach = record.breaches.filter(pk=breach_id).first()
    if breach is None:
        raise Http404("No such breach review")
    return breach


def managers_of(record: RegisterRecord):
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            organisation_id=record.owning_organisation_id,
            role=Role.OFFENDER_MANAGER,
            is_active=True,
        )
        .order_by("pk")
    )


# --- queues (13.8) ----------------------------------------------------------------------

QUEUES = {
    "all": "All active",
    "overdue": "Overdue",
    "week": "Due this week",
    "late": "Late or missing notices",
    "travelling": "Travelling now",
    "ending": "Ending soon",
    "reviews": "Reviews due",
}
ENDING_SOON_DAYS = 28
REVIEWS_DUE_DAYS = 90


def register_queue(
    user,
    *,
    queue: str = "all",
    manager_id: int | None = None,
    area: str = "",
    risk: str = "",
    today: dt.date | None = None,
    limit: int = 50,
) -> list[RegisterRecord]:
    """One queue page of records the user may see, with filters by manager, area and ARMS
    level. Each queue is one indexed range query on stored columns (what law computed when
    the record last changed), so a page stays fast at 100,000 records (bench/)."""
    today = today or timezone.localdate()
    records = records_visible_to(user).filter(active=True)
    if queue == "overdue":
        records = records.filter(next_due__lt=today)
    elif queue == "week":
        records = records.filter(next_due__gte=today, next_due__lte=today + dt.timedelta(days=7))
    elif queue == "late":
        records = records.filter(Q(overdue_count__gt=0) | Q(late_count__gt=0))
    elif queue == "travelling":
        records = records.filter(
            pk__in=Trip.objects.filter(departure__lte=today)
            .filter(
                Q(returned_on__gte=today)
                | Q(returned_on__isnull=True, planned_return__gte=today)
                | Q(returned_on__isnull=True, planned_return__isnull=True)
            )
            .values("record_id")
        )
    elif queue == "ending":
        records = records.filter(
            last_day__gte=today, last_day__lte=today + dt.timedelta(days=ENDING_SOON_DAYS)
        )
    elif queue == "reviews":
        records = records.filter(review_due__lte=today + dt.timedelta(days=REVIEWS_DUE_DAYS))
    if manager_id:
        records = records.filter(manager_id=manager_id)
    if area:
        records = records.filter(area=area)
    if risk:
        records = records.filter(arms_level=risk)
    order = {
        "ending": ("last_day", "pk"),
        "reviews": ("review_due", "pk"),
    }.get(queue)
    if order:
        return list(records.order_by(*order)[:limit])
    return list(records.order_by(F("next_due").asc(nulls_last=True), "pk")[:limit])


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


def managers_for_user(user):
    """Offender managers of the user's force (the queue's manager filter)."""
    from django.contrib.auth import get_user_model

    if not user.is_authenticated or user.role not in REGISTER_MANAGERS:
        return []
    return list(
        get_user_model()
        .objects.filter(
            organisation_id=user.organisation_id, role=Role.OFFENDER_MANAGER, is_active=True
        )
        .order_by("pk")
    )


# --- Transfers between forces (13.7) --------------------------------------------------------


def transfers_for_user(user) -> list[RegisterTransfer]:
    """The transfers of the user's force, newest first: offender managers and supervisors
    only (they manage the register); nobody else sees any."""
    if not user.is_authenticated or user.role not in REGISTER_MANAGERS:
        return []
    return list(
        RegisterTransfer.objects.filter(organisation_id=user.organisation_id)
        .select_related("record__case", "decided_by", "created_by")
        .order_by("-created_at", "-pk")[:200]
    )


def transfer_get_for_user(user, *, transfer_id: int) -> RegisterTransfer:
    transfer = None
    if user.is_authenticated and user.role in REGISTER_MANAGERS:
        transfer = (
            RegisterTransfer.objects.filter(pk=transfer_id, organisation_id=user.organisation_id)
            .select_related("record__case")
            .first()
        )
    if transfer is None:
        raise Http404("No such transfer, or it is not for your force")
    return transfer


@dataclass(frozen=True)
class TransferSummary:
    """What the receiving force needs to decide on a pending transfer (from the signed file)."""

    person_name: str
    date_of_birth: str | None
    from_force: str
    case_reference: str
    offence: str
    offence_date: str | None
    relevant_date: str | None
    period_text: str
    last_day: str | None
    notifications: int
    trips: int
    breaches: int


def transfer_summary(transfer: RegisterTransfer) -> TransferSummary | None:
    """The held file's particulars, while it is held (pending); ``None`` once decided."""
    import json

    from comeforward.law import offence_label

    if not transfer.envelope:
        return None
    payload = json.loads(transfer.envelope)["payload"]
    person, record = payload["person"], payload["record"]
    return TransferSummary(
        person_name=f"{person['given_names']} {person['family_name']}".strip(),
        date_of_birth=person.get("date_of_birth"),
        from_force=(payload.get("from_force") or {}).get("name")
        or (payload.get("from_force") or {}).get("code", ""),
        case_reference=payload.get("case_reference") or "",
        offence=offence_label(record.get("offence") or ""),
        offence_date=record.get("offence_date"),
        relevant_date=record.get("relevant_date"),
        period_text=record.get("period_text") or "",
        last_day=record.get("last_day"),
        notifications=len(payload.get("notifications") or []),
        trips=len(payload.get("trips") or []),
        breaches=len(payload.get("breaches") or []),
    )


#: How long a register record counts as new on the offender manager's home page.
NEW_RECORD_DAYS = 14


def new_records(user, *, today: dt.date | None = None, limit: int = 20) -> list[RegisterRecord]:
    """Active records the user may see that were opened in the last ``NEW_RECORD_DAYS`` days
    or have no offender manager yet, the newest first (issue 20.4: the offender manager's
    home page)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=NEW_RECORD_DAYS), dt.time.min)
    )
    return list(
        records_visible_to(user)
        .filter(active=True)
        .filter(Q(created_at__gte=since) | Q(manager__isnull=True))
        .select_related("manager")
        .order_by("-created_at", "-pk")[:limit]
    )


def initial_notifications_due(
    user, *, today: dt.date | None = None, limit: int = 50
) -> list[RegisterRecord]:
    """Active records still waiting for the person's initial notification (SOA 2003 s.83),
    the earliest due first; each carries ``overdue`` (issue 20.4)."""
    today = today or timezone.localdate()
    records = list(
        records_visible_to(user)
        .filter(active=True, initial_due__isnull=False)
        .order_by("initial_due", "pk")[:limit]
    )
    for record in records:
        record.overdue = record.initial_due < today
    return records


def notified_child_household(case) -> bool:
    """Has any notification on the case's record told of residing or staying with a child
    (the register period as a policy source; not user-scoped: the policy reads it for a case
    the caller already holds)."""
    matters = RegisterNotification.objects.filter(record__case=case).values_list(
        "matters", flat=True
    )
    return any("child_household" in (m or []) for m in matters)


# --- what the law engine reads for a record (the services recompute from these too) ---


def recorded_notifications(record: RegisterRecord) -> list[RecordedNotification]:
    return [
        RecordedNotification(
            kind=n.kind,
            date=n.date,
            matters=tuple(n.matters),
            changed_on=n.changed_on,
            departure=n.departure,
            expected_on=n.expected_on,
        )
        for n in record.notifications.order_by("date", "pk")
    ]


def recorded_trips(record: RegisterRecord) -> list[RecordedTrip]:
    return [
        RecordedTrip(
            departure=t.departure,
            departure_time=t.departure_time,
            known_on=t.known_on,
            planned_return=t.planned_return,
            returned_on=t.returned_on,
            return_details_given=t.return_details_given,
        )
        for t in record.trips.order_by("departure", "pk")
    ]


def recorded_periods(record: RegisterRecord) -> list[RecordedPeriod]:
    return [
        RecordedPeriod(reason=p.reason, began_on=p.began_on, ended_on=p.ended_on)
        for p in record.disregarded_periods.order_by("began_on", "pk")
    ]


def review_determinations(record: RegisterRecord) -> list[dt.date]:
    task = ReviewTask.objects.filter(record=record).first() if record.pk else None
    if task is None or task.status != ReviewStatus.CONTINUED or task.determined_on is None:
        return []
    return [task.determined_on]


def record_law_position(record: RegisterRecord, today: dt.date):
    """``law.deadlines`` for the record: every notification, trip and disregarded period."""
    notifications = recorded_notifications(record) if record.pk else []
    as_of = max([today, *(n.date for n in notifications)])
    return domain.position(
        relevant_date=record.relevant_date,
        last_day=record.last_day,
        under_18=record.under_18_on_relevant_date,
        no_fixed_abode=record.no_fixed_abode,
        notifications=notifications,
        as_of=as_of,
        trips=recorded_trips(record) if record.pk else [],
        periods=recorded_periods(record) if record.pk else [],
        review_determinations=review_determinations(record) if record.pk else [],
    )
