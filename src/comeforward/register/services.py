"""Writes about register records: one transaction and one audit record each.

Research: domain-rules.md §1 (SOA 2003 Part 2). Opening a record evaluates the facts with
``law.evaluate`` (s.80, Sch 3, s.82, s.83); every notification, home visit and ARMS date
recomputes the stored next due dates with ``law.deadlines`` so that the daily sweep
(``register_sweep``) is set-based: one indexed range query per kind of deadline and one bulk
insert, never a per-person calculation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record

from . import domain
from .domain import DueKind, NotificationKind, RecordedNotification, RecordFacts
from .errors import (
    BreachAlreadyOpen,
    InvalidHorizon,
    InvalidNotification,
    NotNotifiable,
    NotOverdue,
    RegisterRecordExists,
)
from .models import (
    ArmsAssessment,
    HomeVisit,
    RegisterBreach,
    RegisterNotification,
    RegisterRecord,
    Reminder,
)

#: The stored column behind each kind of deadline (what the sweep scans).
DUE_COLUMNS: dict[str, str] = {
    DueKind.INITIAL: "initial_due",
    DueKind.PERIODIC: "next_periodic_due",
    DueKind.ARMS: "arms_due",
    DueKind.HOME_VISIT: "home_visit_due",
}

DEFAULT_HORIZON_DAYS = 14


def _today() -> dt.date:
    return timezone.localdate()


def _audit(actor, record: RegisterRecord, operation: str, scope: str, **details) -> None:
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="case",
        subject_id=record.case_id,
        subject_ref=record.case.reference,
        scope=scope,
        details={"register_record": record.pk, **details},
    )


def recorded_notifications(record: RegisterRecord) -> list[RecordedNotification]:
    return [
        RecordedNotification(
            kind=n.kind,
            date=n.date,
            matters=tuple(n.matters),
            changed_on=n.changed_on,
            departure=n.departure,
        )
        for n in record.notifications.order_by("date", "pk")
    ]


def _recompute(record: RegisterRecord, today: dt.date) -> None:
    """Store what ``law`` says is next due (and the earliest of everything, for the list)."""
    notifications = recorded_notifications(record) if record.pk else []
    as_of = max([today, *(n.date for n in notifications)])
    result = domain.position(
        relevant_date=record.relevant_date,
        last_day=record.last_day,
        under_18=record.under_18_on_relevant_date,
        no_fixed_abode=record.no_fixed_abode,
        notifications=notifications,
        as_of=as_of,
    )
    due = domain.next_due_from(result)
    record.initial_due = due.initial_due
    record.next_periodic_due = due.next_periodic_due
    record.next_due = domain.earliest(
        record.initial_due, record.next_periodic_due, record.arms_due, record.home_visit_due
    )
    record.active = record.last_day is None or record.last_day >= today
    record.save()


def register_open(
    *,
    actor,
    case,
    facts: RecordFacts,
    no_fixed_abode: bool = False,
    to_be_determined: bool = False,
) -> RegisterRecord:
    """Open the register record for a person the facts make subject to notification.
    ``to_be_determined``: also when ``law`` cannot yet decide (a fact is missing): the record
    says so and carries the deadlines that apply if the person is notifiable (fail closed)."""
    obligation = domain.obligation(facts)
    undetermined = to_be_determined and obligation.notifiable is None
    if not obligation.notifiable and not undetermined:
        raise NotNotifiable(
            "On these facts the person is not subject to the notification requirements",
            details={
                "missing": list(obligation.missing),
                "explanations": obligation.trace.explanations,
            },
        )
    with transaction.atomic():
        if RegisterRecord.objects.filter(case=case).exists():
            raise RegisterRecordExists(
                "This case already has a register record", details={"case": case.pk}
            )
        # Undetermined: the consequences that apply if the person is notifiable (fail closed).
        consequences = obligation.consequences if undetermined else None
        period = consequences.period if consequences else obligation.period
        record = RegisterRecord(
            case=case,
            owning_organisation_id=case.owning_organisation_id,
            offence=facts.offence,
            offence_date=facts.offence_date,
            offender_dob=facts.offender_dob,
            youngest_depicted_age=facts.youngest_depicted_age,
            disposal_type=facts.disposal_type,
            relevant_date=facts.relevant_date,
            period_text=(TO_BE_DETERMINED if undetermined else "") + _describe_period(period),
            last_day=consequences.last_day if consequences else obligation.last_day,
            under_18_on_relevant_date=obligation.under_18_on_relevant_date,
            no_fixed_abode=no_fixed_abode,
        )
        _recompute(record, _today())
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.record",
            relevant_date=facts.relevant_date.isoformat(),
            last_day=record.last_day.isoformat() if record.last_day else None,
            **({"to_be_determined": list(obligation.missing)} if undetermined else {}),
        )
    return record


TO_BE_DETERMINED = "To be determined; if notifiable: "


def register_record_recompute(*, actor, case, facts: RecordFacts) -> RegisterRecord | None:
    """The facts behind a case's record were corrected (``decisions.services.caution_correct``):
    store them and recompute the period and what is next due. ``None`` when the case has no
    record. Facts that make the person not notifiable close the record (inactive)."""
    record = RegisterRecord.objects.filter(case=case).first()
    if record is None:
        return None
    obligation = domain.obligation(facts)
    with transaction.atomic():
        record.offence = facts.offence
        record.offence_date = facts.offence_date
        record.offender_dob = facts.offender_dob
        record.youngest_depicted_age = facts.youngest_depicted_age
        record.disposal_type = facts.disposal_type
        record.relevant_date = facts.relevant_date
        undetermined = obligation.notifiable is None and obligation.consequences is not None
        source = obligation.consequences if undetermined else obligation
        record.period_text = (TO_BE_DETERMINED if undetermined else "") + _describe_period(
            source.period
        )
        record.last_day = source.last_day
        record.under_18_on_relevant_date = obligation.under_18_on_relevant_date
        _recompute(record, _today())
        if obligation.notifiable is False:
            record.active = False
            record.period_text = "Not subject to the notification requirements"
            record.save(update_fields=["active", "period_text"])
        _audit(
            actor,
            record,
            Operation.ALTER,
            "register.record_recompute",
            relevant_date=facts.relevant_date.isoformat(),
            notifiable=obligation.notifiable,
        )
    return record


def _describe_period(period) -> str:
    if period is None:
        return ""
    if period.indefinite:
        return "Indefinite"
    parts = []
    if period.years:
        parts.append(f"{period.years} year{'s' if period.years != 1 else ''}")
    if period.months:
        parts.append(f"{period.months} month{'s' if period.months != 1 else ''}")
    return " ".join(parts) or "0 months"


def register_open_for_caution(
    *,
    actor,
    case,
    caution_date: dt.date,
    offence: str,
    offence_date: dt.date,
    offender_dob: dt.date,
    youngest_depicted_age: int | None,
    caution_type: str = "simple_caution",
    to_be_determined: bool = False,
) -> RegisterRecord:
    """Called when a caution is administered (the ``decisions`` app, or the demo):
    s.80(1)(d) and s.82(6), the relevant date is the date of the caution."""
    return register_open(
        actor=actor,
        case=case,
        to_be_determined=to_be_determined,
        facts=RecordFacts(
            offence=offence,
            offence_date=offence_date,
            offender_dob=offender_dob,
            youngest_depicted_age=youngest_depicted_age,
            disposal_type=caution_type,
            relevant_date=caution_date,
        ),
    )


def _validate_notification(
    record: RegisterRecord,
    kind: str,
    date: dt.date,
    matters: tuple[str, ...],
    changed_on: dt.date | None,
    departure: dt.date | None,
    today: dt.date,
) -> None:
    problems: dict[str, str] = {}
    if kind not in NotificationKind.values:
        problems["kind"] = "Choose the kind of notification"
    if date > today:
        problems["date"] = "The date of the notification cannot be in the future"
    if date < record.relevant_date:
        problems["date"] = "The date of the notification cannot be before the relevant date"
    allowed = domain.KIND_MATTERS.get(kind)
    if allowed is not None:
        if not matters:
            problems["matters"] = "Choose what was notified"
        elif any(m not in {a.value for a in allowed} for m in matters):
            problems["matters"] = "Those matters cannot be notified under this kind"
        if changed_on is None:
            problems["changed_on"] = "Enter the date of the change"
        elif changed_on > date + dt.timedelta(days=366):
            problems["changed_on"] = "The change date is too far after the notification"
    elif matters:
        problems["matters"] = "Only changes name matters"
    if kind == NotificationKind.TRAVEL and departure is None:
        problems["departure"] = "Enter the date of departure"
    if kind == NotificationKind.INITIAL and record.notifications.filter(kind=kind).exists():
        problems["kind"] = "The initial notification is already recorded"
    if problems:
        raise InvalidNotification(
            "The notification cannot be recorded: " + "; ".join(problems.values()),
            details={"fields": problems},
        )


def register_notification_record(
    *,
    actor,
    record: RegisterRecord,
    kind: str,
    date: dt.date,
    matters: Iterable[str] = (),
    changed_on: dt.date | None = None,
    departure: dt.date | None = None,
    details: str = "",
) -> RegisterNotification:
    """Record a notification made in person (s.87) and recompute what is next due."""
    today = _today()
    matters = tuple(str(m) for m in matters)
    _validate_notification(record, kind, date, matters, changed_on, departure, today)
    with transaction.atomic():
        record = RegisterRecord.objects.select_for_update().select_related("case").get(pk=record.pk)
        notification = RegisterNotification.objects.create(
            record=record,
            kind=kind,
            date=date,
            matters=list(matters),
            changed_on=changed_on,
            departure=departure,
            details=details.strip(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if kind == NotificationKind.WEEKLY:
            record.no_fixed_abode = True
        elif kind == NotificationKind.PERIODIC:
            record.no_fixed_abode = False
        _recompute(record, today)
        _resolve_reminders(record, (DueKind.INITIAL, DueKind.PERIODIC))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.notification",
            kind=kind,
            date=date.isoformat(),
            matters=list(matters),
        )
    return notification


def _resolve_reminders(record: RegisterRecord, kinds: Iterable[str]) -> None:
    """Reminders whose due date is no longer the one stored are answered."""
    for kind in kinds:
        current = getattr(record, DUE_COLUMNS[kind])
        Reminder.objects.filter(record=record, kind=kind, resolved_at__isnull=True).exclude(
            due=current
        ).update(resolved_at=timezone.now())


def register_home_visit_record(
    *, actor, record: RegisterRecord, date: dt.date, next_due: dt.date | None, notes: str = ""
) -> HomeVisit:
    """A home visit; the next is due on the date the risk-management plan sets (ARMS
    output, domain-rules §3.7 [M]: the frequency is the officer's entry, not a rule here)."""
    if date > _today():
        raise InvalidNotification(
            "The visit date cannot be in the future", details={"fields": {"date": "future"}}
        )
    if next_due is not None and next_due <= date:
        raise InvalidNotification(
            "The next visit must be after this one", details={"fields": {"next_due": "before"}}
        )
    with transaction.atomic():
        visit = HomeVisit.objects.create(
            record=record,
            date=date,
            next_due=next_due,
            notes=notes.strip(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record.home_visit_due = next_due
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.HOME_VISIT,))
        _audit(actor, record, Operation.COLLECT, "register.home_visit", date=date.isoformat())
    return visit


def register_arms_record(
    *, actor, record: RegisterRecord, assessed_on: dt.date, next_due: dt.date
) -> ArmsAssessment:
    """The dates of an ARMS assessment (domain-rules §3.7); the content stays in ViSOR."""
    if assessed_on > _today():
        raise InvalidNotification(
            "The assessment date cannot be in the future",
            details={"fields": {"assessed_on": "future"}},
        )
    if next_due <= assessed_on:
        raise InvalidNotification(
            "The next assessment must be after this one",
            details={"fields": {"next_due": "before"}},
        )
    with transaction.atomic():
        assessment = ArmsAssessment.objects.create(
            record=record,
            assessed_on=assessed_on,
            next_due=next_due,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record.arms_due = next_due
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.ARMS,))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.arms",
            assessed_on=assessed_on.isoformat(),
            next_due=next_due.isoformat(),
        )
    return assessment


def register_breach_open(
    *, actor, record: RegisterRecord, kind: str, notes: str = ""
) -> RegisterBreach:
    """A deadline of ``kind`` stored on the record has passed: open a register breach (a
    possible s.91 offence, domain-rules §4.8 "Notification failure") linked to the case."""
    due = getattr(record, DUE_COLUMNS.get(kind, ""), None) if kind in DUE_COLUMNS else None
    if due is None or due >= _today():
        raise NotOverdue(
            "Nothing of that kind is overdue on this record",
            details={"kind": kind, "due": due.isoformat() if due else None},
        )
    with transaction.atomic():
        if RegisterBreach.objects.filter(record=record, kind=kind, due=due).exists():
            raise BreachAlreadyOpen(
                "A breach is already open for this deadline",
                details={"kind": kind, "due": due.isoformat()},
            )
        breach = RegisterBreach.objects.create(
            record=record,
            kind=kind,
            due=due,
            notes=notes.strip(),
            opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit(actor, record, Operation.COLLECT, "register.breach", kind=kind, due=due.isoformat())
    return breach


def register_sweep(
    *, today: dt.date | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> dict[str, int]:
    """The daily reminder sweep: a reminder for every stored deadline that falls due within
    ``horizon_days`` and one for every overdue deadline. Idempotent (a unique constraint per
    record, kind, due date and overdue flag; conflicts are ignored)."""
    if horizon_days < 0 or horizon_days > 366:
        raise InvalidHorizon(
            "The horizon must be between 0 and 366 days", details={"horizon_days": horizon_days}
        )
    today = today or _today()
    horizon = today + dt.timedelta(days=horizon_days)
    candidates = created = 0
    with transaction.atomic():
        for kind, column in DUE_COLUMNS.items():
            candidates += RegisterRecord.objects.filter(
                active=True, **{f"{column}__lte": horizon}
            ).count()
            created += _insert_reminders(kind, column, today=today, horizon=horizon)
        audit_record(
            actor=None,
            operation=Operation.ALTER,
            subject_type="register",
            scope="register.sweep",
            details={
                "today": today.isoformat(),
                "horizon_days": horizon_days,
                "due_or_overdue": candidates,
                "reminders_created": created,
            },
        )
    return {"due_or_overdue": candidates, "reminders_created": created}


def _insert_reminders(kind: str, column: str, *, today: dt.date, horizon: dt.date) -> int:
    """One set-based ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite):
    the rows never travel to Python, and existing reminders are left alone. Returns the
    number of reminders created."""
    quote = connection.ops.quote_name
    records = RegisterRecord._meta
    reminders = Reminder._meta
    due = quote(records.get_field(column).column)
    sql = (
        # Identifiers come from model metadata and DUE_COLUMNS; values are parameters.
        f"INSERT INTO {quote(reminders.db_table)} "  # noqa: S608
        f"({quote('record_id')}, {quote('kind')}, {quote('due')}, {quote('overdue')}, "
        f"{quote('created_at')}) "
        f"SELECT {quote(records.pk.column)}, %s, {due}, {due} < %s, %s "
        f"FROM {quote(records.db_table)} "
        f"WHERE {quote('active')} = %s AND {due} <= %s "
        f"ON CONFLICT ({quote('record_id')}, {quote('kind')}, {quote('due')}, {quote('overdue')}) "
        "DO NOTHING"
    )
    field = Reminder._meta.get_field
    params = [
        kind,
        field("due").get_db_prep_value(today, connection),
        field("created_at").get_db_prep_value(timezone.now(), connection),
        True,
        field("due").get_db_prep_value(horizon, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
