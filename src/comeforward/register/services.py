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
from django.db.models import F
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.law import Obligation, period_text
from comeforward.law.errors import DateInFuture

from . import domain
from .domain import (
    BreachOutcome,
    DisregardReason,
    DueKind,
    NotificationKind,
    ParticularKind,
    RecordFacts,
    ReviewStatus,
)
from .errors import (
    BreachAlreadyOpen,
    InvalidHorizon,
    InvalidNotification,
    InvalidReviewStep,
    NotNotifiable,
    NotOverdue,
    RecordEnded,
    RegisterRecordExists,
)
from .models import (
    ArmsAssessment,
    DisregardedPeriod,
    HomeVisit,
    Particular,
    RegisterBreach,
    RegisterNotification,
    RegisterRecord,
    Reminder,
    ReviewTask,
    Trip,
)
from .selectors import DUE_COLUMNS, record_law_position

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


def _recompute(record: RegisterRecord, today: dt.date) -> None:
    """Store what ``law`` says is next due (and the earliest of everything, for the list)."""
    result = record_law_position(record, today)
    due = domain.next_due_from(result)
    record.initial_due = due.initial_due
    record.next_periodic_due = due.next_periodic_due
    record.event_due = due.event_due
    record.overdue_count = min(due.overdue_count, 32767)
    record.late_count = min(due.late_count, 32767)
    record.review_due = due.review_eligible_from
    record.active = record.ended_on is None and (
        record.last_day is None or record.last_day >= today
    )
    if record.active:
        record.next_due = domain.earliest(
            record.initial_due,
            record.next_periodic_due,
            record.event_due,
            record.arms_due,
            record.home_visit_due,
            record.review_due,
        )
    else:
        record.next_due = None
    record.save()
    if record.last_day is None and record.review_due is not None:
        _sync_review_task(record, today)


def _sync_review_task(record: RegisterRecord, today: dt.date) -> None:
    """Indefinite requirements: the s.91B review task exists from the start, with the
    earliest qualifying date law gives (§1.10)."""
    task = ReviewTask.objects.filter(record=record).first()
    if task is None:
        ReviewTask.objects.create(
            record=record,
            eligible_from=record.review_due,
            status=ReviewStatus.ELIGIBLE if record.review_due <= today else ReviewStatus.NOT_YET,
        )
    elif (
        task.status in (ReviewStatus.NOT_YET, ReviewStatus.ELIGIBLE, ReviewStatus.CONTINUED)
        and task.eligible_from != record.review_due
    ):
        task.eligible_from = record.review_due
        task.save(update_fields=["eligible_from"])


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise InvalidNotification(
            "This cannot be recorded: " + "; ".join(problems.values()),
            details={"fields": problems},
        )


def _require_active(record: RegisterRecord) -> None:
    if record.ended_on is not None:
        raise RecordEnded(
            "The notification requirements have ended for this person",
            details={"ended_on": record.ended_on.isoformat()},
        )


def register_record_enter(
    *, actor, case, facts: RecordFacts, no_fixed_abode: bool = False
) -> RegisterRecord:
    """An offender manager or supervisor of the owning force enters a person already subject
    to the notification requirements (the case page's "Enter…"; the permission is the
    register extension's rule, ``permissions.register_actions``, issue 19.2)."""
    from comeforward.cases.extensions import require_action

    from .permissions import ENTER

    require_action(actor, case, ENTER)
    return register_open(actor=actor, case=case, facts=facts, no_fixed_abode=no_fixed_abode)


def _refuse_future_dates(facts: RecordFacts, today: dt.date) -> None:
    """The offence and the caution or conviction (the relevant date) are past events: either
    after today is ``DATE_IN_FUTURE`` naming the field, as ``comeforward law`` answers
    (issue 11.8), and nothing is recorded."""
    for field, value in (
        ("offence_date", facts.offence_date),
        ("relevant_date", facts.relevant_date),
    ):
        if value > today:
            raise DateInFuture(
                f"The {field.replace('_', ' ')} cannot be in the future",
                details={"field": field, "value": value.isoformat(), "today": today.isoformat()},
            )


def register_open(
    *,
    actor,
    case,
    facts: RecordFacts,
    no_fixed_abode: bool = False,
    to_be_determined: bool = False,
    obligation: Obligation | None = None,
) -> RegisterRecord:
    """Open the register record for a person the facts make subject to notification.
    ``to_be_determined``: also when ``law`` cannot yet decide (a fact is missing): the record
    says so and carries the deadlines that apply if the person is notifiable (fail closed).
    ``obligation``: ``law.evaluate``'s result for exactly these facts where the caller has it
    already (the caution stores it): the law engine then runs once (issue 19.5)."""
    _refuse_future_dates(facts, _today())
    obligation = obligation or domain.obligation(facts)
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
            period_text=(TO_BE_DETERMINED if undetermined else "") + period_text(period),
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


def register_record_recompute(
    *, actor, case, facts: RecordFacts, obligation: Obligation | None = None
) -> RegisterRecord | None:
    """The facts behind a case's record were corrected (``decisions.services.caution_correct``):
    store them and recompute the period and what is next due. ``None`` when the case has no
    record. Facts that make the person not notifiable close the record (inactive).
    ``obligation``: the caller's ``law.evaluate`` result for these facts, if it has one."""
    _refuse_future_dates(facts, _today())
    record = RegisterRecord.objects.filter(case=case).first()
    if record is None:
        return None
    obligation = obligation or domain.obligation(facts)
    with transaction.atomic():
        record.offence = facts.offence
        record.offence_date = facts.offence_date
        record.offender_dob = facts.offender_dob
        record.youngest_depicted_age = facts.youngest_depicted_age
        record.disposal_type = facts.disposal_type
        record.relevant_date = facts.relevant_date
        undetermined = obligation.notifiable is None and obligation.consequences is not None
        source = obligation.consequences if undetermined else obligation
        record.period_text = (TO_BE_DETERMINED if undetermined else "") + period_text(source.period)
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
    obligation: Obligation | None = None,
) -> RegisterRecord:
    """Called when a caution is administered (the ``decisions`` app, or the demo):
    s.80(1)(d) and s.82(6), the relevant date is the date of the caution. ``obligation``:
    the result the caution stored (the law engine is not run again)."""
    return register_open(
        actor=actor,
        case=case,
        to_be_determined=to_be_determined,
        obligation=obligation,
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
    if kind in (NotificationKind.TRAVEL, NotificationKind.RETURN) and departure is None:
        problems["departure"] = "Enter the date of departure"
    if kind == NotificationKind.INITIAL and record.notifications.filter(kind=kind).exists():
        problems["kind"] = "The initial notification is already recorded"
    if problems:
        raise InvalidNotification(
            "The notification cannot be recorded: " + "; ".join(problems.values()),
            details={"fields": problems},
        )


SINGLE_VALUED = frozenset(
    {
        ParticularKind.NAME,
        ParticularKind.HOME_ADDRESS,
        ParticularKind.DATE_OF_BIRTH,
        ParticularKind.NI_NUMBER,
    }
)


def _clean_particulars(particulars: Iterable[dict], date: dt.date) -> list[dict]:
    cleaned: list[dict] = []
    problems: dict[str, str] = {}
    for index, item in enumerate(particulars):
        kind = str(item.get("kind", ""))
        value = str(item.get("value", "") or "").strip()
        if kind not in ParticularKind.values:
            problems[f"particulars[{index}].kind"] = "Choose what kind of particular this is"
            continue
        if not value:
            problems[f"particulars[{index}].value"] = "Enter the particular"
            continue
        valid_from, valid_to = item.get("valid_from"), item.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            problems[f"particulars[{index}].valid_to"] = "The end date is before the start"
        masked = domain.mask(value) if kind in domain.MASKED_KINDS else ""
        cleaned.append(
            {
                "kind": kind,
                "value": value,
                "masked": masked,
                "detail": str(item.get("detail", "") or "").strip(),
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )
    _refuse(problems)
    return cleaned


def _matters_for(kind: str, particulars: list[dict]) -> tuple[str, ...]:
    """What a notification of ``kind`` with these particulars is about (law.Matter)."""
    if kind not in domain.KIND_MATTERS:
        return ()
    return tuple(sorted({domain.PARTICULAR_MATTER[p["kind"]].value for p in particulars}))


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
    particulars: Iterable[dict] = (),
    ends: Iterable[int] = (),
    police_station: str = "",
    received_by_name: str = "",
    expected_on: dt.date | None = None,
) -> RegisterNotification:
    """Record a notification made in person (s.87) and recompute what is next due.

    ``particulars`` (s.83(5), Regs 2012) are added as new rows; a new name, home address,
    date of birth or NI number ends the current one, and ``ends`` names other particulars
    this notification ends (a closed account, a stay that stopped). Nothing is overwritten.
    """
    _require_active(record)
    today = _today()
    cleaned = _clean_particulars(particulars, date)
    matters = tuple(str(m) for m in matters) or _matters_for(kind, cleaned)
    ends = tuple(int(e) for e in ends)
    _validate_notification(record, kind, date, matters, changed_on, departure, today)
    if expected_on is not None and expected_on < date:
        _refuse({"expected_on": "The expected date cannot be before the notification"})
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
            expected_on=expected_on,
            police_station=police_station.strip(),
            received_by_name=received_by_name.strip()
            or (getattr(actor, "full_name", "") if _actor(actor) else ""),
            recorded_by=_actor(actor),
        )
        ended = _apply_particulars(record, notification, cleaned, ends, changed_on or date)
        if kind == NotificationKind.WEEKLY:
            record.no_fixed_abode = True
        elif kind == NotificationKind.PERIODIC:
            record.no_fixed_abode = False
        _recompute(record, today)
        _resolve_reminders(record, (DueKind.INITIAL, DueKind.PERIODIC, DueKind.EVENT))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.notification",
            notification=notification.pk,
            kind=kind,
            date=date.isoformat(),
            changed_on=changed_on.isoformat() if changed_on else None,
            matters=list(matters),
            particulars_added=[p["kind"] for p in cleaned],
            particulars_ended=ended,
        )
    return notification


def _apply_particulars(
    record: RegisterRecord,
    notification: RegisterNotification,
    cleaned: list[dict],
    ends: tuple[int, ...],
    effective: dt.date,
) -> list[int]:
    current = Particular.objects.filter(record=record, ended_on__isnull=True)
    to_end = set(ends)
    unknown = to_end - set(current.filter(pk__in=to_end).values_list("pk", flat=True))
    if unknown:
        _refuse({"ends": "Only current particulars of this record can be ended"})
    for item in cleaned:
        if item["kind"] in SINGLE_VALUED:
            to_end.update(current.filter(kind=item["kind"]).values_list("pk", flat=True))
    if to_end:
        Particular.objects.filter(pk__in=to_end).update(ended_on=effective, ended_by=notification)
    for item in cleaned:
        Particular.objects.create(
            record=record,
            kind=item["kind"],
            value=item["value"],
            masked=item["masked"],
            detail=item["detail"],
            valid_from=item["valid_from"],
            valid_to=item["valid_to"],
            notification=notification,
        )
    return sorted(to_end)


def _resolve_reminders(record: RegisterRecord, kinds: Iterable[str]) -> None:
    """Reminders whose due date is no longer the one stored are answered."""
    for kind in kinds:
        current = getattr(record, DUE_COLUMNS[kind])
        Reminder.objects.filter(record=record, kind=kind, resolved_at__isnull=True).exclude(
            due=current
        ).update(resolved_at=timezone.now())


def register_home_visit_record(
    *,
    actor,
    record: RegisterRecord,
    date: dt.date,
    next_due: dt.date | None,
    notes: str = "",
    announced: bool = True,
    outcome: str = "",
) -> HomeVisit:
    """A home visit (announced or not, with its outcome); the next is due on the date the
    officer sets, or else the date the visit schedule for the ARMS level gives
    (``domain.VISIT_INTERVAL_MONTHS``, [M] local policy awaiting sign-off, §3.7)."""
    if date > _today():
        raise InvalidNotification(
            "The visit date cannot be in the future", details={"fields": {"date": "future"}}
        )
    if outcome and outcome not in domain.VisitOutcome.values:
        _refuse({"outcome": "Choose the outcome of the visit"})
    if next_due is None:
        next_due = domain.next_visit_due(date, record.arms_level)
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
            announced=announced,
            outcome=outcome,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record.home_visit_due = next_due
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.HOME_VISIT,))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.home_visit",
            date=date.isoformat(),
            announced=announced,
            outcome=outcome,
            next_due=next_due.isoformat() if next_due else None,
        )
    return visit


def register_arms_record(
    *,
    actor,
    record: RegisterRecord,
    assessed_on: dt.date,
    next_due: dt.date,
    level: str = "",
) -> ArmsAssessment:
    """The dates and level of an ARMS assessment (domain-rules §3.7); the content stays in
    ViSOR. The level sets the visit schedule where no visit date is set yet."""
    if level and level not in domain.ArmsLevel.values:
        _refuse({"level": "Choose the ARMS level"})
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
            level=level,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record.arms_due = next_due
        if level:
            record.arms_level = level
            if record.home_visit_due is None:
                record.home_visit_due = domain.next_visit_due(assessed_on, level)
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.ARMS,))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.arms",
            assessed_on=assessed_on.isoformat(),
            next_due=next_due.isoformat(),
            level=level,
        )
    return assessment


def register_breach_open(
    *,
    actor,
    record: RegisterRecord,
    kind: str,
    notes: str = "",
    due: dt.date | None = None,
    event_ref: str = "",
    evidence: str = "",
) -> RegisterBreach:
    """Open a s.91 breach review (domain-rules §1.11) for a notice law says is overdue or was
    made late: initial, periodic or weekly, any change, stay, trip, change of travel details,
    return, or non-occurrence; or an overdue ARMS assessment or home visit. ``due`` and
    ``event_ref`` pick the duty (as listed by ``selectors.record_duties``); without them, the
    stored deadline of ``kind`` is used (initial, periodic, ARMS, home visit)."""
    today = _today()
    if due is None and kind in DUE_COLUMNS and kind not in (DueKind.EVENT, DueKind.REVIEW):
        due = getattr(record, DUE_COLUMNS[kind])
        if due is None or due >= today:
            raise NotOverdue(
                "Nothing of that kind is overdue on this record",
                details={"kind": kind, "due": due.isoformat() if due else None},
            )
        notified_late_on = None
    else:
        duties = domain.duties_in_breach(record_law_position(record, today))
        match = next(
            (
                d
                for d in duties
                if d.kind == kind and (due is None or d.due == due) and d.ref == event_ref
            ),
            None,
        )
        if match is None:
            raise NotOverdue(
                "Law does not show that notice as overdue or late on this record",
                details={"kind": kind, "due": due.isoformat() if due else None, "ref": event_ref},
            )
        due, notified_late_on = match.due, match.notified
    with transaction.atomic():
        if RegisterBreach.objects.filter(
            record=record, kind=kind, due=due, event_ref=event_ref
        ).exists():
            raise BreachAlreadyOpen(
                "A breach review is already open for this deadline",
                details={"kind": kind, "due": due.isoformat()},
            )
        breach = RegisterBreach.objects.create(
            record=record,
            kind=kind,
            due=due,
            event_ref=event_ref,
            notified_late_on=notified_late_on,
            notes=notes.strip(),
            evidence=evidence.strip(),
            opened_by=_actor(actor),
        )
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.breach",
            breach=breach.pk,
            kind=kind,
            due=due.isoformat(),
            ref=event_ref,
            late=notified_late_on is not None,
        )
    return breach


def register_breach_outcome(
    *, actor, breach: RegisterBreach, outcome: str, notes: str = "", evidence: str = ""
) -> RegisterBreach:
    """Close a breach review with its outcome (reasonable excuse, no breach, warning,
    referred, charged under s.91); more evidence may be added. Decided once."""
    if outcome not in BreachOutcome.values or outcome == BreachOutcome.OPEN:
        _refuse({"outcome": "Choose the outcome of the review"})
    if breach.outcome:
        raise InvalidNotification(
            "This breach review already has an outcome",
            details={"fields": {"outcome": "decided"}},
        )
    with transaction.atomic():
        breach = RegisterBreach.objects.select_for_update().get(pk=breach.pk)
        breach.outcome = outcome
        breach.outcome_notes = notes.strip()
        if evidence.strip():
            breach.evidence = "\n\n".join(x for x in (breach.evidence, evidence.strip()) if x)
        breach.outcome_by = _actor(actor)
        breach.outcome_at = timezone.now()
        breach.save()
        record = RegisterRecord.objects.select_related("case").get(pk=breach.record_id)
        _audit(
            actor,
            record,
            Operation.ALTER,
            "register.breach_outcome",
            breach=breach.pk,
            outcome=outcome,
        )
    return breach


def register_period_record(
    *,
    actor,
    record: RegisterRecord,
    reason: str,
    began_on: dt.date,
    ended_on: dt.date | None = None,
    notes: str = "",
) -> DisregardedPeriod:
    """Custody, detention in hospital or time outside the UK (s.83(6), s.84(5), s.85(3)):
    every deadline is recomputed by law with the whole days of the period disregarded."""
    problems: dict[str, str] = {}
    if reason not in DisregardReason.values:
        problems["reason"] = "Choose why the time is disregarded"
    if began_on < record.relevant_date - dt.timedelta(days=3650):
        problems["began_on"] = "The start is too long before the relevant date"
    if began_on > _today():
        problems["began_on"] = "The start cannot be in the future"
    if ended_on is not None and ended_on < began_on:
        problems["ended_on"] = "The end cannot be before the start"
    if ended_on is not None and ended_on > _today():
        problems["ended_on"] = "The end cannot be in the future; leave it blank if still going on"
    _refuse(problems)
    with transaction.atomic():
        record = RegisterRecord.objects.select_for_update().select_related("case").get(pk=record.pk)
        period = DisregardedPeriod.objects.create(
            record=record,
            reason=reason,
            began_on=began_on,
            ended_on=ended_on,
            notes=notes.strip(),
            recorded_by=_actor(actor),
        )
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.INITIAL, DueKind.PERIODIC, DueKind.EVENT))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.disregarded_period",
            period=period.pk,
            reason=reason,
            began_on=began_on.isoformat(),
            ended_on=ended_on.isoformat() if ended_on else None,
        )
    return period


def register_period_end(
    *, actor, period: DisregardedPeriod, ended_on: dt.date
) -> DisregardedPeriod:
    """The custody, detention or absence has ended (release: s.84(1)(d) then applies)."""
    if period.ended_on is not None:
        _refuse({"ended_on": "This period has already ended"})
    if ended_on < period.began_on or ended_on > _today():
        _refuse({"ended_on": "The end must be between the start and today"})
    with transaction.atomic():
        period.ended_on = ended_on
        period.save(update_fields=["ended_on"])
        record = RegisterRecord.objects.select_related("case").get(pk=period.record_id)
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.INITIAL, DueKind.PERIODIC, DueKind.EVENT))
        _audit(
            actor,
            record,
            Operation.ALTER,
            "register.disregarded_period",
            period=period.pk,
            ended_on=ended_on.isoformat(),
        )
    return period


TRIP_FIELDS = (
    "destinations",
    "departure_point",
    "arrival_point",
    "return_point",
    "carrier",
    "accommodation",
)


def register_trip_record(
    *,
    actor,
    record: RegisterRecord,
    departure: dt.date,
    destinations: str,
    known_on: dt.date,
    notified_on: dt.date | None,
    departure_time: dt.time | None = None,
    planned_return: dt.date | None = None,
    departure_point: str = "",
    arrival_point: str = "",
    return_point: str = "",
    carrier: str = "",
    accommodation: str = "",
    return_details_given: bool | None = None,
    police_station: str = "",
    received_by_name: str = "",
) -> Trip:
    """A trip outside the UK (s.86; Travel Regs 2004 as amended by Regs 2012, §1.7) and, when
    ``notified_on`` is given, the travel notice. Whether the notice was in time (7 days, or
    12 hours when the details were not known 7 days ahead) is law's answer, not a field."""
    _require_active(record)
    today = _today()
    problems: dict[str, str] = {}
    if not destinations.strip():
        problems["destinations"] = "Enter the countries the person is going to"
    if known_on > departure:
        problems["known_on"] = "The details cannot be known after the departure"
    if planned_return is not None and planned_return < departure:
        problems["planned_return"] = "The return cannot be before the departure"
    if notified_on is not None:
        if notified_on > today:
            problems["notified_on"] = "The notice cannot be dated in the future"
        if notified_on < record.relevant_date:
            problems["notified_on"] = "The notice cannot be before the relevant date"
    if record.trips.filter(departure=departure).exists():
        problems["departure"] = "A trip departing that day is already recorded"
    _refuse(problems)
    if return_details_given is None:
        return_details_given = planned_return is not None and bool(return_point.strip())
    with transaction.atomic():
        record = RegisterRecord.objects.select_for_update().select_related("case").get(pk=record.pk)
        trip = Trip.objects.create(
            record=record,
            departure=departure,
            departure_time=departure_time,
            planned_return=planned_return,
            destinations=destinations.strip(),
            departure_point=departure_point.strip(),
            arrival_point=arrival_point.strip(),
            return_point=return_point.strip(),
            carrier=carrier.strip(),
            accommodation=accommodation.strip(),
            known_on=known_on,
            return_details_given=return_details_given,
            recorded_by=_actor(actor),
        )
        if notified_on is not None:
            _trip_notification(
                actor,
                record,
                trip,
                NotificationKind.TRAVEL,
                notified_on,
                police_station,
                received_by_name,
            )
        _recompute(record, today)
        _resolve_reminders(record, (DueKind.EVENT,))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.trip",
            trip=trip.pk,
            departure=departure.isoformat(),
            known_on=known_on.isoformat(),
            notified_on=notified_on.isoformat() if notified_on else None,
        )
    return trip


def _trip_notification(
    actor, record, trip, kind, date, police_station: str, received_by_name: str
) -> RegisterNotification:
    return RegisterNotification.objects.create(
        record=record,
        kind=kind,
        date=date,
        departure=trip.departure,
        trip=trip,
        police_station=police_station.strip(),
        received_by_name=received_by_name.strip()
        or (getattr(actor, "full_name", "") if _actor(actor) else ""),
        recorded_by=_actor(actor),
    )


def register_trip_notice_record(
    *,
    actor,
    trip: Trip,
    notified_on: dt.date,
    police_station: str = "",
    received_by_name: str = "",
) -> RegisterNotification:
    """A travel notice for a trip recorded without one (given late, or after the event)."""
    record = RegisterRecord.objects.select_related("case").get(pk=trip.record_id)
    _require_active(record)
    if notified_on > _today() or notified_on < record.relevant_date:
        _refuse({"notified_on": "The notice must be between the relevant date and today"})
    if trip.notifications.filter(kind=NotificationKind.TRAVEL).exists():
        _refuse({"notified_on": "The travel notice for this trip is already recorded"})
    with transaction.atomic():
        notification = _trip_notification(
            actor,
            record,
            trip,
            NotificationKind.TRAVEL,
            notified_on,
            police_station,
            received_by_name,
        )
        _recompute(record, _today())
        _resolve_reminders(record, (DueKind.EVENT,))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.notification",
            notification=notification.pk,
            kind=NotificationKind.TRAVEL,
            date=notified_on.isoformat(),
            trip=trip.pk,
        )
    return notification


def register_trip_return_record(
    *,
    actor,
    trip: Trip,
    returned_on: dt.date,
    notified_on: dt.date | None = None,
    police_station: str = "",
    received_by_name: str = "",
) -> Trip:
    """The person came back on ``returned_on``; where the return was not given in the notice
    (or was another day) law requires a return notification within 3 days [M] (§1.7)."""
    record = RegisterRecord.objects.select_related("case").get(pk=trip.record_id)
    today = _today()
    problems: dict[str, str] = {}
    if returned_on < trip.departure or returned_on > today:
        problems["returned_on"] = "The return must be between the departure and today"
    if notified_on is not None and (notified_on < returned_on or notified_on > today):
        problems["notified_on"] = "The return notice must be between the return and today"
    _refuse(problems)
    with transaction.atomic():
        trip.returned_on = returned_on
        trip.save(update_fields=["returned_on"])
        if notified_on is not None:
            _trip_notification(
                actor,
                record,
                trip,
                NotificationKind.RETURN,
                notified_on,
                police_station,
                received_by_name,
            )
        _recompute(record, today)
        _resolve_reminders(record, (DueKind.EVENT, DueKind.PERIODIC, DueKind.INITIAL))
        _audit(
            actor,
            record,
            Operation.COLLECT,
            "register.trip_return",
            trip=trip.pk,
            returned_on=returned_on.isoformat(),
            notified_on=notified_on.isoformat() if notified_on else None,
        )
    return trip


def register_management_update(
    *,
    actor,
    record: RegisterRecord,
    manager=None,
    area: str = "",
    mappa_category: str = "",
    mappa_level: str = "",
) -> RegisterRecord:
    """Who manages the person, the area, and the MAPPA category and level (13.6)."""
    problems: dict[str, str] = {}
    if mappa_category and mappa_category not in domain.MappaCategory.values:
        problems["mappa_category"] = "Choose the MAPPA category"
    if mappa_level and mappa_level not in domain.MappaLevel.values:
        problems["mappa_level"] = "Choose the MAPPA level"
    if manager is not None and manager.organisation_id != record.owning_organisation_id:
        problems["manager"] = "The manager must belong to the force that owns the record"
    _refuse(problems)
    with transaction.atomic():
        record.manager = manager
        record.area = area.strip()
        record.mappa_category = mappa_category
        record.mappa_level = mappa_level
        record.save(update_fields=["manager", "area", "mappa_category", "mappa_level"])
        _audit(
            actor,
            record,
            Operation.ALTER,
            "register.management",
            manager=manager.pk if manager else None,
            area=record.area,
            mappa_category=mappa_category,
            mappa_level=mappa_level,
        )
    return record


#: s.91A-91F review steps: status → the steps allowed from it (domain-rules §1.10).
REVIEW_STEPS: dict[str, tuple[str, ...]] = {
    ReviewStatus.NOT_YET: (),
    ReviewStatus.ELIGIBLE: (ReviewStatus.APPLIED,),
    ReviewStatus.APPLIED: (ReviewStatus.DISCHARGED, ReviewStatus.CONTINUED),
    ReviewStatus.CONTINUED: (ReviewStatus.APPEALED, ReviewStatus.APPLIED),
    ReviewStatus.DISCHARGED: (),
    ReviewStatus.APPEALED: (ReviewStatus.DISCHARGED, ReviewStatus.CONTINUED),
}
REVIEW_DETERMINATION_WEEKS = 12  # [S] Dorset Police guidance (§1.10)


def register_review_step(
    *, actor, record: RegisterRecord, step: str, on: dt.date, notes: str = ""
) -> ReviewTask:
    """Move the s.91A-91F review on: application received (to be determined within 12
    weeks), determined (requirements discharged, ending the record, or continued, with the
    further review date of s.91B(3) from law), or appealed (s.91E)."""
    task = ReviewTask.objects.filter(record=record).first()
    today = _today()
    if task is None:
        raise InvalidReviewStep("These requirements are not indefinite: no review applies")
    if (
        task.status == ReviewStatus.CONTINUED
        and task.further_review_from
        and (step == ReviewStatus.APPLIED and on < task.further_review_from)
    ):
        raise InvalidReviewStep(
            "A further application cannot be made before the s.91B(3) date",
            details={"from": task.further_review_from.isoformat()},
        )
    if step not in REVIEW_STEPS.get(task.status, ()):
        raise InvalidReviewStep(
            "That step does not follow from where the review is",
            details={"status": task.status, "step": step},
        )
    if on > today:
        raise InvalidReviewStep("The date cannot be in the future", details={"on": on.isoformat()})
    if step == ReviewStatus.APPLIED and on < task.eligible_from:
        raise InvalidReviewStep(
            "An application cannot be made before the qualifying date (s.91B)",
            details={"eligible_from": task.eligible_from.isoformat()},
        )
    with transaction.atomic():
        task.status = step
        if step == ReviewStatus.APPLIED:
            task.applied_on = on
            task.determine_by = on + dt.timedelta(weeks=REVIEW_DETERMINATION_WEEKS)
            task.determined_on = None
        elif step in (ReviewStatus.DISCHARGED, ReviewStatus.CONTINUED):
            task.determined_on = on
        if notes.strip():
            task.notes = "\n\n".join(x for x in (task.notes, notes.strip()) if x)
        task.updated_by = _actor(actor)
        task.updated_at = timezone.now()
        task.save()
        record = RegisterRecord.objects.select_for_update().select_related("case").get(pk=record.pk)
        if step == ReviewStatus.DISCHARGED:
            record.ended_on = on
            Reminder.objects.filter(record=record, resolved_at__isnull=True).update(
                resolved_at=timezone.now()
            )
        _recompute(record, today)
        if step == ReviewStatus.CONTINUED:
            task.further_review_from = record.review_due
            task.save(update_fields=["further_review_from"])
        _audit(
            actor,
            record,
            Operation.ALTER,
            "register.review",
            step=step,
            on=on.isoformat(),
        )
    return task


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
        ended = _end_fixed_periods(today)
        eligible = ReviewTask.objects.filter(
            status=ReviewStatus.NOT_YET, eligible_from__lte=today
        ).update(status=ReviewStatus.ELIGIBLE, updated_at=timezone.now())
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
                "records_ended": len(ended),
                "reviews_eligible": eligible,
            },
        )
    return {
        "due_or_overdue": candidates,
        "reminders_created": created,
        "records_ended": len(ended),
        "reviews_eligible": eligible,
    }


def _end_fixed_periods(today: dt.date) -> list[int]:
    """SOA 2003 s.82 (§1.3): a fixed period ends at the end of its last day. Each record whose
    last day has passed is closed (``ended_on`` = the last day, no more reminders, open
    reminders resolved) with its own audit record; the end-of-requirements letter is then
    offered on the record (documents kind ``requirements_ended``)."""
    due = list(
        RegisterRecord.objects.filter(ended_on__isnull=True, last_day__lt=today)
        .select_related("case")
        .only("pk", "last_day", "case_id", "case__reference")
    )
    if not due:
        return []
    ids = [r.pk for r in due]
    now = timezone.now()
    RegisterRecord.objects.filter(pk__in=ids).update(
        active=False, ended_on=F("last_day"), next_due=None
    )
    Reminder.objects.filter(record_id__in=ids, resolved_at__isnull=True).update(resolved_at=now)
    for record in due:
        _audit(
            None,
            record,
            Operation.ALTER,
            "register.ended",
            ended_on=record.last_day.isoformat(),
            reason="S82_PERIOD_ENDED",
        )
    return ids


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
