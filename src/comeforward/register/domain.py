"""Pure rules of the register: notification kinds, and the bridge to the ``law`` engines.

Research: domain-rules.md §1.4 (initial, s.83), §1.5 (changes, s.84), §1.6 (periodic, s.85;
weekly with no fixed abode, Regs 2012), §1.7 (travel, s.86), §1.8 (Regs 2012 matters: bank
and card details, passports and identity documents, residing or staying with a child). The
deadlines themselves are computed by ``comeforward.law`` and never re-implemented here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from comeforward.law import (
    DeadlinesRequest,
    DeadlinesResult,
    Disposal,
    DisposalType,
    Event,
    EventType,
    Facts,
    Matter,
    Notification,
    NotificationType,
    Obligation,
    Offence,
    deadlines,
    evaluate,
)
from comeforward.law.dates import DayRange, corresponding_date
from comeforward.law.deadlines import REGS2012_MATTERS, S84_MATTERS


class NotificationKind(models.TextChoices):
    INITIAL = "initial", "Initial notification (s.83)"
    CHANGE = "change", "Change of name, address or release (s.84)"
    PERIODIC = "periodic", "Periodic notification (s.85)"
    WEEKLY = "weekly", "Weekly notification, no fixed abode (s.85 and Regs 2012)"
    TRAVEL = "travel", "Foreign travel (s.86)"
    CHILD_HOUSEHOLD = "child_household", "Residing or staying with a child (Regs 2012)"
    BANK_PASSPORT = "bank_passport", "Bank, card, passport or identity details (Regs 2012)"
    RETURN = "return", "Return from foreign travel (Travel Regs 2004)"


class DueKind(models.TextChoices):
    INITIAL = "initial", "Initial notification"
    PERIODIC = "periodic", "Periodic notification"
    ARMS = "arms", "ARMS assessment"
    HOME_VISIT = "home_visit", "Home visit"
    EVENT = "event", "Change, travel or return notification"
    REVIEW = "review", "Review of indefinite requirements (s.91A-91F)"


class DisregardReason(models.TextChoices):
    """SOA 2003 s.83(6), s.84(5), s.85(3): time not counted (domain-rules §1.4, §1.5)."""

    CUSTODY = "custody", "In custody (remand, sentence or service detention)"
    HOSPITAL = "hospital", "Detained in hospital"
    OUTSIDE_UK = "outside_uk", "Outside the United Kingdom"


class ParticularKind(models.TextChoices):
    """s.83(5) and the 2012 Regulations (domain-rules §1.4 table, items a-h3)."""

    NAME = "name", "Name (s.83(5)(c), (e))"
    ALIAS = "alias", "Other name used (s.83(5)(c), (e))"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth (s.83(5)(a))"
    NI_NUMBER = "ni_number", "National Insurance number (s.83(5)(b))"
    HOME_ADDRESS = "home_address", "Home address (s.83(5)(d), (f))"
    OTHER_ADDRESS = "other_address", "Other address regularly stayed at (s.83(5)(g))"
    PASSPORT = "passport", "Passport (Regs 2012)"
    IDENTITY_DOCUMENT = "identity_document", "Other identity document (Regs 2012)"
    BANK_ACCOUNT = "bank_account", "Bank or building society account (Regs 2012)"
    CARD = "card", "Debit or credit card (Regs 2012)"
    CHILD_HOUSEHOLD = "child_household", "Stays of 12 hours or more where a child lives (Regs 2012)"


#: The particular kinds whose number is stored only encrypted and shown masked.
MASKED_KINDS = frozenset(
    {
        ParticularKind.BANK_ACCOUNT,
        ParticularKind.CARD,
        ParticularKind.PASSPORT,
        ParticularKind.IDENTITY_DOCUMENT,
        ParticularKind.NI_NUMBER,
    }
)

#: The law matter a change of each particular is notified under (s.84(1), Regs 2012).
PARTICULAR_MATTER: dict[str, Matter] = {
    ParticularKind.NAME: Matter.NAME,
    ParticularKind.ALIAS: Matter.NAME,
    ParticularKind.HOME_ADDRESS: Matter.HOME_ADDRESS,
    ParticularKind.OTHER_ADDRESS: Matter.OTHER_ADDRESS,
    ParticularKind.PASSPORT: Matter.PASSPORT,
    ParticularKind.IDENTITY_DOCUMENT: Matter.IDENTITY_DOCUMENT,
    ParticularKind.BANK_ACCOUNT: Matter.BANK_ACCOUNT,
    ParticularKind.CARD: Matter.CARD,
    ParticularKind.CHILD_HOUSEHOLD: Matter.CHILD_HOUSEHOLD,
    ParticularKind.DATE_OF_BIRTH: Matter.PRESCRIBED,
    ParticularKind.NI_NUMBER: Matter.PRESCRIBED,
}


def mask(value: str, *, keep: int = 4) -> str:
    """Show only the last ``keep`` letters or digits of a number (spaces dropped)."""
    compact = "".join(ch for ch in value if ch.isalnum())
    if len(compact) <= keep:
        return "•" * len(compact)
    return "•" * (len(compact) - keep) + compact[-keep:]


class BreachKind(models.TextChoices):
    """What a s.91 breach review is about (domain-rules §1.11): any late or missing notice."""

    INITIAL = "initial", "Initial notification (s.83)"
    PERIODIC = "periodic", "Periodic notification (s.85)"
    WEEKLY = "weekly", "Weekly notification, no fixed abode (s.85, Regs 2012)"
    CHANGE = "change", "Change notification (s.84, Regs 2012)"
    STAY = "stay", "Stay at another address (s.84(1)(c), (6))"
    TRAVEL = "travel", "Travel notice (s.86, Travel Regs 2004)"
    TRAVEL_CHANGE = "travel_change", "Change to travel details (Travel Regs 2004)"
    RETURN = "return", "Return from travel (Travel Regs 2004)"
    NON_OCCURRENCE = "non_occurrence", "Advance-notified change that did not happen (s.84(4)(b))"
    ARMS = "arms", "ARMS assessment"
    HOME_VISIT = "home_visit", "Home visit"


class BreachOutcome(models.TextChoices):
    OPEN = "", "Under review"
    REASONABLE_EXCUSE = "reasonable_excuse", "Reasonable excuse: no further action"
    NO_BREACH = "no_breach", "No breach on review"
    WARNING = "warning", "Warning given"
    REFERRED = "referred", "Referred for investigation of a s.91 offence"
    CHARGED = "charged", "Charged under s.91"


class ArmsLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


#: [M] Home-visit interval (months) that follows from the ARMS level: local policy, not a
#: published rule (domain-rules §3.7: "risk-management plan, including home-visit
#: frequency" is [M]). Configuration awaiting sign-off; the officer may set another date.
VISIT_INTERVAL_MONTHS: dict[str, int] = {
    ArmsLevel.LOW: 12,
    ArmsLevel.MEDIUM: 6,
    ArmsLevel.HIGH: 3,
    ArmsLevel.VERY_HIGH: 1,
}
VISIT_SCHEDULE_CONFIDENCE = "M"


class VisitOutcome(models.TextChoices):
    SEEN = "seen", "Seen; no concerns"
    CONCERNS = "concerns", "Seen; concerns recorded"
    NOT_HOME = "not_home", "Not at home"
    REFUSED = "refused", "Entry refused"


class MappaCategory(models.TextChoices):
    ONE = "1", "Category 1 (registered sexual offender)"
    TWO = "2", "Category 2"
    THREE = "3", "Category 3"


class MappaLevel(models.TextChoices):
    ONE = "1", "Level 1 (ordinary agency management)"
    TWO = "2", "Level 2 (multi-agency)"
    THREE = "3", "Level 3 (multi-agency, senior)"


class ReviewStatus(models.TextChoices):
    """s.91A-91F review of indefinite requirements (domain-rules §1.10)."""

    NOT_YET = "not_yet", "Not yet eligible"
    ELIGIBLE = "eligible", "Eligible: awaiting application"
    APPLIED = "applied", "Application received"
    DISCHARGED = "discharged", "Determined: requirements end"
    CONTINUED = "continued", "Determined: requirements continue"
    APPEALED = "appealed", "Appealed to the magistrates' court (s.91E)"


#: Matters an offender manager can record under each kind (law.Matter values).
KIND_MATTERS: dict[str, frozenset[Matter]] = {
    NotificationKind.CHANGE: frozenset(S84_MATTERS),
    NotificationKind.CHILD_HOUSEHOLD: frozenset({Matter.CHILD_HOUSEHOLD}),
    NotificationKind.BANK_PASSPORT: frozenset(REGS2012_MATTERS) - {Matter.CHILD_HOUSEHOLD},
}


@dataclass(frozen=True)
class RecordedNotification:
    """A notification as stored, in the terms the register uses."""

    kind: str
    date: dt.date
    matters: tuple[str, ...] = ()
    changed_on: dt.date | None = None
    departure: dt.date | None = None
    expected_on: dt.date | None = None


@dataclass(frozen=True)
class RecordedTrip:
    """A trip outside the UK as stored (s.86, Travel Regs 2004 as amended, §1.7)."""

    departure: dt.date
    departure_time: dt.time | None = None
    known_on: dt.date | None = None
    planned_return: dt.date | None = None
    returned_on: dt.date | None = None
    return_details_given: bool = True


@dataclass(frozen=True)
class RecordedPeriod:
    """Custody, detention in hospital or time outside the UK, from the day it began to the
    day it ended (``None``: still going on)."""

    reason: str
    began_on: dt.date
    ended_on: dt.date | None = None


def whole_days(began_on: dt.date, ended_on: dt.date | None, as_of: dt.date) -> DayRange | None:
    """The whole calendar days of a period ([D] whole-day granularity, domain-rules §1.5): the
    day it began and the day it ended are part days and count; a period still going on is
    taken to go on no later than ``as_of`` (later days are not known, so not disregarded:
    deadlines come out earliest, never too late)."""
    first = began_on + dt.timedelta(days=1)
    last = (ended_on - dt.timedelta(days=1)) if ended_on is not None else as_of
    last = min(last, as_of)
    if last < first:
        return None
    return DayRange(first, last)


def disregarded_days(
    periods: Iterable[RecordedPeriod], trips: Iterable[RecordedTrip], as_of: dt.date
) -> tuple[DayRange, ...]:
    """Whole days to disregard (s.83(6), s.84(5), s.85(3)): recorded custody, hospital and
    time abroad, and the whole days of each trip between leaving and coming back once the
    return is recorded (a planned return is not proof of the time abroad: fail closed, the
    deadlines are recomputed when the return is recorded)."""
    ranges = [whole_days(p.began_on, p.ended_on, as_of) for p in periods]
    for trip in trips:
        if trip.departure > as_of or trip.returned_on is None:
            continue
        ranges.append(whole_days(trip.departure, trip.returned_on, as_of))
    return tuple(sorted((r for r in ranges if r is not None), key=lambda r: r.first))


def to_law(n: RecordedNotification) -> Notification:
    """Map a recorded notification onto ``law.Notification`` (docs/interfaces.md §3 input)."""
    kind = NotificationKind(n.kind)
    if kind is NotificationKind.INITIAL:
        return Notification(NotificationType.INITIAL, n.date)
    if kind is NotificationKind.PERIODIC:
        return Notification(NotificationType.PERIODIC, n.date, no_fixed_abode=False)
    if kind is NotificationKind.WEEKLY:
        return Notification(NotificationType.PERIODIC, n.date, no_fixed_abode=True)
    if kind is NotificationKind.TRAVEL:
        return Notification(NotificationType.TRAVEL, n.date, departure=n.departure)
    if kind is NotificationKind.RETURN:
        return Notification(NotificationType.RETURN, n.date, departure=n.departure)
    return Notification(
        NotificationType.CHANGE,
        n.date,
        matters=tuple(Matter(m) for m in n.matters),
        expected_date=n.expected_on,
    )


def to_events(
    notifications: Iterable[RecordedNotification], trips: Iterable[RecordedTrip] = ()
) -> tuple[Event, ...]:
    """The duties the notifications and trips answer (a change on a day; a departure and
    the return), so that ``law`` says when each was due and whether it was met or late."""
    trips = tuple(trips)
    trip_departures = {t.departure for t in trips}
    events: list[Event] = []
    for n in notifications:
        if n.kind == NotificationKind.TRAVEL and n.departure is not None:
            if n.departure not in trip_departures:  # travel recorded before trips existed
                events.append(Event(EventType.TRAVEL, departure=n.departure))
        elif n.kind in KIND_MATTERS and n.changed_on is not None:
            events.extend(
                Event(EventType.CHANGE, date=n.changed_on, matter=Matter(m)) for m in n.matters
            )
    for trip in trips:
        events.append(
            Event(
                EventType.TRAVEL,
                departure=trip.departure,
                departure_time=trip.departure_time,
                known_from=trip.known_on,
                return_date=trip.returned_on,
                planned_return=trip.planned_return,
                return_notified_in_advance=trip.return_details_given,
            )
        )
    return tuple(events)


@dataclass(frozen=True)
class RecordFacts:
    offence: str
    offence_date: dt.date
    offender_dob: dt.date
    youngest_depicted_age: int | None
    disposal_type: str
    relevant_date: dt.date

    def law_facts(self) -> Facts:
        return Facts(
            offence=Offence(self.offence),
            offence_date=self.offence_date,
            offender_dob=self.offender_dob,
            youngest_depicted_age=self.youngest_depicted_age,
            disposal=Disposal(DisposalType(self.disposal_type), self.relevant_date),
        )


def obligation(facts: RecordFacts) -> Obligation:
    """``law.evaluate``: notifiable or not, the s.82 period, the s.83 initial deadline."""
    return evaluate(facts.law_facts())


def position(
    *,
    relevant_date: dt.date,
    last_day: dt.date | None,
    under_18: bool,
    no_fixed_abode: bool,
    notifications: Iterable[RecordedNotification],
    as_of: dt.date,
    trips: Iterable[RecordedTrip] = (),
    periods: Iterable[RecordedPeriod] = (),
    review_determinations: Iterable[dt.date] = (),
) -> DeadlinesResult:
    """``law.deadlines`` for the record as of ``as_of`` (docs/interfaces.md §3), with the
    disregarded periods and every trip."""
    recorded = tuple(notifications)
    trips = tuple(trips)
    return deadlines(
        DeadlinesRequest(
            relevant_date=relevant_date,
            last_day=last_day,
            as_of=as_of,
            no_fixed_abode=no_fixed_abode,
            notifications=tuple(to_law(n) for n in recorded),
            events=to_events(recorded, trips),
            disregarded_periods=disregarded_days(periods, trips, as_of),
            under_18_on_relevant_date=under_18,
            review_determinations=tuple(review_determinations),
        )
    )


@dataclass(frozen=True)
class NextDue:
    initial_due: dt.date | None
    next_periodic_due: dt.date | None
    event_due: dt.date | None = None
    overdue_count: int = 0
    late_count: int = 0
    review_eligible_from: dt.date | None = None


OPEN_STATUSES = ("due", "overdue")


def next_due_from(result: DeadlinesResult) -> NextDue:
    """What the sweep and the queues need from ``law``'s answer: the initial deadline while
    no initial notification is made, the next periodic (or weekly) deadline, the earliest
    open change, travel or return deadline, and how many notices are overdue or were late."""
    initial = result.initial_notification_due if result.initial_status in OPEN_STATUSES else None
    open_events: list[dt.date] = []
    for entry in result.event_deadlines:
        if entry.get("status") in OPEN_STATUSES and entry.get("due"):
            open_events.append(dt.date.fromisoformat(entry["due"]))
        if entry.get("return_status") in OPEN_STATUSES and entry.get("return_due"):
            open_events.append(dt.date.fromisoformat(entry["return_due"]))
        if entry.get("non_occurrence_status") in OPEN_STATUSES:
            open_events.append(dt.date.fromisoformat(entry["non_occurrence_due"]))
    return NextDue(
        initial_due=initial,
        next_periodic_due=result.next_periodic_due,
        event_due=min(open_events) if open_events else None,
        overdue_count=len(result.overdue),
        late_count=len(result.late),
        review_eligible_from=result.review_eligible_from,
    )


def earliest(*dates: dt.date | None) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def next_visit_due(visited: dt.date, arms_level: str) -> dt.date | None:
    """The next home visit under the schedule for the ARMS level ([M], see
    ``VISIT_INTERVAL_MONTHS``); ``None`` when no level is recorded (the officer sets it)."""
    months = VISIT_INTERVAL_MONTHS.get(arms_level)
    if months is None:
        return None
    return corresponding_date(visited, months=months, missing="last_day_of_month").value


@dataclass(frozen=True)
class Duty:
    """A notice law says is overdue, or was made late: what a breach review is opened for."""

    kind: str  # BreachKind value
    due: dt.date
    ref: str  # stable: which change, trip or return ("" for initial and periodic)
    status: str  # "overdue" or "late"
    notified: dt.date | None
    label: str


def _event_ref(result: DeadlinesResult, index: int | None, kind: str) -> str:
    if index is None:
        return ""
    event = result.request.events[index]
    if kind == "return" or event.type is EventType.RETURN:
        when = event.departure or event.date
        return f"return {when.isoformat() if when else index}"
    if event.type in (EventType.TRAVEL, EventType.TRAVEL_CHANGE):
        assert event.departure is not None
        return f"{kind} {event.departure.isoformat()}"
    if event.type is EventType.STAY:
        first = min((s.first for s in event.stays), default=None)
        return f"stay {event.address or ''} {first.isoformat() if first else index}".strip()
    matter = event.matter.value if event.matter else ""
    return f"{kind} {matter} {event.date.isoformat() if event.date else index}"


def duties_in_breach(result: DeadlinesResult) -> list[Duty]:
    """Every overdue and every late notice in law's answer, with a stable reference."""
    duties: list[Duty] = []
    for status, items in (("overdue", result.overdue), ("late", result.late)):
        for item in items:
            kind = item["type"]
            ref = _event_ref(result, item.get("event"), kind)
            notified = item.get("notified")
            label = BreachKind(kind).label if kind in BreachKind.values else kind
            duties.append(
                Duty(
                    kind=kind,
                    due=dt.date.fromisoformat(item["due"]),
                    ref=ref,
                    status=status,
                    notified=dt.date.fromisoformat(notified) if notified else None,
                    label=f"{label}{' – ' + ref if ref else ''}",
                )
            )
    return sorted(duties, key=lambda d: d.due)
