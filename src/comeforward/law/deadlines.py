"""Deadlines for notifications: SOA 2003 ss.83-86, s.91B, Regs 2012 and Travel Regs 2004.

Research: domain-rules.md §1.4 (initial, s.83), §1.5 (changes, s.84, qualifying period
s.84(6)), §1.6 (periodic, s.85; weekly with no fixed abode), §1.7 (foreign travel), §1.8
(Regs 2012 matters), §1.9 (day counting), §1.10 (review of indefinite requirements).

All deadlines are *last days* (the duty can be met up to the end of that day), or, for the
hours-based travel rules, a ``due_at`` local date-time with ``due`` the last whole day.
Disregarded periods (custody, hospital, outside the UK) are whole days ([D]).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from comeforward.law.dates import (
    ONE_DAY,
    DayRange,
    corresponding_date,
    first_day_not_disregarded,
    is_disregarded,
    nth_counted_day,
)
from comeforward.law.trace import Trace
from comeforward.law.welsh import SOA_CY


class NotificationType(StrEnum):
    INITIAL = "initial"  # s.83(1)
    CHANGE = "change"  # s.84(1)
    NEW_MATTER = "new_matter"  # Regs 2012 matters only
    PERIODIC = "periodic"  # s.85(1)
    TRAVEL = "travel"  # s.86, Travel Regs 2004
    TRAVEL_CHANGE = "travel_change"  # Travel Regs: change before departure [M]
    RETURN = "return"  # Travel Regs: return [M]
    NON_OCCURRENCE = "non_occurrence"  # s.84(4)(b): an advance-notified event did not occur


class Matter(StrEnum):
    NAME = "name"  # s.84(1)(a)
    HOME_ADDRESS = "home_address"  # s.84(1)(b)
    OTHER_ADDRESS = "other_address"  # s.84(1)(c), qualifying period s.84(6)
    PRESCRIBED = "prescribed"  # s.84(1)(ca) [M]
    RELEASE = "release"  # s.84(1)(d)
    BANK_ACCOUNT = "bank_account"  # Regs 2012
    CARD = "card"  # Regs 2012
    PASSPORT = "passport"  # Regs 2012
    IDENTITY_DOCUMENT = "identity_document"  # Regs 2012
    CHILD_HOUSEHOLD = "child_household"  # Regs 2012: ≥12 hours where a child resides


S84_MATTERS = frozenset(
    {Matter.NAME, Matter.HOME_ADDRESS, Matter.OTHER_ADDRESS, Matter.PRESCRIBED, Matter.RELEASE}
)
REGS2012_MATTERS = frozenset(Matter) - S84_MATTERS

S84_PARAGRAPH = {
    Matter.NAME: "s.84(1)(a)",
    Matter.HOME_ADDRESS: "s.84(1)(b)",
    Matter.OTHER_ADDRESS: "s.84(1)(c)",
    Matter.PRESCRIBED: "s.84(1)(ca)",
    Matter.RELEASE: "s.84(1)(d)",
}


class EventType(StrEnum):
    CHANGE = "change"
    STAY = "stay"  # stays at an un-notified address, for the s.84(6) qualifying period
    TRAVEL = "travel"
    TRAVEL_CHANGE = "travel_change"
    RETURN = "return"


class DisregardReason(StrEnum):
    """s.83(6): remanded or committed to custody, serving a sentence of imprisonment or a
    term of service detention, detained in hospital, or outside the United Kingdom. The
    reason is recorded, not weighed: every listed reason disregards the same way."""

    CUSTODY = "custody"
    REMAND = "remand"
    IMPRISONMENT = "imprisonment"
    SERVICE_DETENTION = "service_detention"
    HOSPITAL = "hospital"
    ABROAD = "abroad"
    OUTSIDE_UK = "outside_uk"


@dataclass(frozen=True)
class Notification:
    type: NotificationType
    date: date
    matters: tuple[Matter, ...] = ()
    departure: _dt.date | None = None
    #: s.85(6): the home address notified was a place where the person can regularly be
    #: found; None = use the request's ``no_fixed_abode``.
    no_fixed_abode: bool | None = None
    #: s.84(2): a change notified in advance states the date the event is expected.
    expected_date: _dt.date | None = None

    def moves_periodic_date(self) -> bool:
        """s.85(2): notifications under s.83(1), s.84(1), s.85(1) restart the year.

        Regs 2012 matters alone and travel notices do not (Home Office FAQ, §1.6).
        """
        if self.type in (NotificationType.INITIAL, NotificationType.PERIODIC):
            return True
        if self.type is NotificationType.CHANGE:
            return any(m in S84_MATTERS for m in self.matters)
        return False


@dataclass(frozen=True)
class Event:
    type: EventType
    date: date | None = None
    matter: Matter | None = None
    departure: _dt.date | None = None
    departure_time: time | None = None
    known_from: _dt.date | None = None
    stays: tuple[DayRange, ...] = ()
    address: str | None = None
    #: Travel: the day of return to the UK (None: not known / not back yet).
    return_date: _dt.date | None = None
    #: Travel: the return date and point of arrival were given in the travel notice
    #: (None: not said; a return notification is then taken as required, fail closed).
    return_notified_in_advance: bool | None = None
    #: Travel: the return date given in the notice; a different actual return needs notice.
    planned_return: _dt.date | None = None


@dataclass(frozen=True)
class DeadlinesRequest:
    relevant_date: date
    last_day: date | None
    as_of: date
    no_fixed_abode: bool = False
    notifications: tuple[Notification, ...] = ()
    events: tuple[Event, ...] = ()
    disregarded_periods: tuple[DayRange, ...] = ()
    #: s.91B(2): 8 rather than 15 years; None = not given (15 used, with a warning).
    under_18_on_relevant_date: bool | None = None
    released_on: date | None = None
    review_determinations: tuple[date, ...] = ()
    subject_to_sexual_harm_order: bool = False


@dataclass(frozen=True)
class Deadline:
    due: date | None
    due_at: datetime | None = None
    #: Travel: which rule set the deadline ("seven_days" or "twelve_hours").
    note: str | None = None


# ---------------------------------------------------------------------------------------
# Single deadlines (pure functions)


def _counted(trace: Trace, start: date, days: int, disregarded: tuple[DayRange, ...]) -> date:
    due = nth_counted_day(start, days, disregarded)
    if due != nth_counted_day(start, days):
        trace.assume("whole_day_disregard")
    return due


def initial_notification_due(
    relevant_date: date, disregarded: tuple[DayRange, ...], trace: Trace
) -> date:
    """s.83(1), (6): within 3 days beginning with the relevant date (or Part 2's commencement,
    if later), disregarding custody, hospital and time outside the UK. §1.4."""
    commencement = trace.use("part2_commencement")
    start = max(relevant_date, commencement)
    days = trace.use("initial_notification_days")
    due = _counted(trace, start, days, disregarded)
    trace.explain(
        f"SOA 2003 s.83(1), (6): the initial notification is due within {days} "
        f"days beginning with {start.isoformat()}"
        f"{_disregard_note(start, due, days)}, so by {due.isoformat()}.",
        welsh=f"{SOA_CY} adran 83(1), (6): mae’r hysbysiad cychwynnol yn ddyledus o fewn "
        f"{days} diwrnod gan ddechrau gyda {start.isoformat()}"
        f"{_disregard_note_cy(start, due, days)}, felly erbyn {due.isoformat()}.",
    )
    return due


def change_due(
    event_date: date, matter: Matter, disregarded: tuple[DayRange, ...], trace: Trace
) -> date:
    """s.84(1), (5): within 3 days beginning with the change, disregards applied (§1.5);
    Regs 2012 matters: 3 days [M] (§1.8)."""
    if matter in S84_MATTERS:
        days = trace.use("change_notification_days")
        rule = f"SOA 2003 {S84_PARAGRAPH[matter]}, s.84(5)"
    else:
        days = trace.use("regs2012_change_days")
        rule = "Regs 2012 (SI 2012/1876)"
    due = _counted(trace, event_date, days, disregarded)
    trace.explain(
        f"{rule}: the change of {matter.value.replace('_', ' ')} on "
        f"{event_date.isoformat()} must be notified within {days} days beginning "
        f"with that day{_disregard_note(event_date, due, days)}, so by "
        f"{due.isoformat()}."
    )
    return due


def qualifying_period_reached(stays: tuple[DayRange, ...], trace: Trace) -> date | None:
    """s.84(6): the day on which stays at one un-notified address amount to 7 days within
    any period of 12 months (a single run of 7 days included); None if never. §1.5."""
    needed = trace.use("qualifying_period_days")
    window_months = trace.use("qualifying_window_months")
    days = sorted({s.first + timedelta(days=i) for s in stays for i in range(s.days())})
    for index, day in enumerate(days):
        window_start = corresponding_date(day, months=-window_months).value + ONE_DAY
        count = sum(1 for d in days[: index + 1] if d >= window_start)
        if count >= needed:
            return day
    return None


def periodic_due(
    last: date, *, no_fixed_abode: bool, disregarded: tuple[DayRange, ...], trace: Trace
) -> date:
    """s.85(1), (5)-(6): due by the anniversary of the last qualifying notification, or 7
    days after it with no fixed abode (Regs 2012); if that day falls in custody, hospital or
    absence abroad, within 3 days beginning when that stops (s.85(3)-(4)). §1.6."""
    welsh = None  # a Welsh rendering of the rule, where there is one (law.welsh)
    if no_fixed_abode:
        days = trace.use("no_fixed_abode_days")
        trace.use("no_fixed_abode_due_on_day_7")
        due = last + timedelta(days=days)
        rule = (
            f"SOA 2003 s.85(1), (5)-(6) and Regs 2012: with no sole or main residence the "
            f"next notification is due within {days} days after {last.isoformat()}"
        )
    else:
        years = trace.use("periodic_years")
        trace.use("periodic_due_on_anniversary")
        anniversary = corresponding_date(
            last, years=years, missing=trace.ruleset.leap_day_deadline.value
        )
        if anniversary.convention_used:
            trace.assume("leap_day_deadline")
        due = anniversary.value
        rule = (
            f"SOA 2003 s.85(1), (5): the periodic notification is due within one year "
            f"after {last.isoformat()}"
        )
        welsh = (
            f"{SOA_CY} adran 85(1), (5): mae’r hysbysiad cyfnodol yn ddyledus o fewn blwyddyn "
            f"ar ôl {last.isoformat()}"
        )
    if is_disregarded(due, disregarded):
        trace.assume("whole_day_disregard")
        stops = first_day_not_disregarded(due, disregarded)
        extra = trace.use("periodic_disregard_days")
        extended = nth_counted_day(stops, extra, disregarded)
        trace.explain(
            f"{rule}, i.e. by {due.isoformat()}; that day falls in a disregarded "
            f"period, so under s.85(3)-(4) it is due within {extra} days beginning "
            f"with {stops.isoformat()}, by {extended.isoformat()}."
        )
        return extended
    trace.explain(
        f"{rule}, so by {due.isoformat()}.",
        welsh=f"{welsh}, felly erbyn {due.isoformat()}." if welsh else None,
    )
    return due


def _departure_at(departure: date, departure_time: time | None, trace: Trace) -> datetime:
    if departure_time is None:
        hours, minutes = (int(x) for x in trace.use("default_departure_time").split(":"))
        departure_time = time(hours, minutes)
    return datetime.combine(departure, departure_time)


def _last_whole_day(moment: datetime) -> date:
    """The last day on which notice can be given at or before ``moment``."""
    return moment.date() - ONE_DAY if moment.time() == time(0, 0) else moment.date()


def travel_notice_due(
    departure: date, known_from: date | None, departure_time: time | None, trace: Trace
) -> Deadline:
    """s.86 + Travel Regs 2004 (as amended by Regs 2012): not less than 7 days before
    departure; if not known 7 days ahead, not less than 12 hours before [M]. §1.7."""
    days = trace.use("travel_notice_days")
    latest = departure - timedelta(days=days)
    if known_from is None or known_from <= latest:
        trace.explain(
            f"SOA 2003 s.86 and Travel Regs 2004 (as amended by Regs 2012): travel "
            f"departing {departure.isoformat()} must be notified not less than "
            f"{days} days before, so by {latest.isoformat()}."
        )
        return Deadline(latest, note="seven_days")
    hours = trace.use("travel_late_known_hours")
    due_at = _departure_at(departure, departure_time, trace) - timedelta(hours=hours)
    due = _last_whole_day(due_at)
    trace.explain(
        f"SOA 2003 s.86 and Travel Regs 2004 (as amended): the travel departing "
        f"{departure.isoformat()} was not known {days} days ahead (known from "
        f"{known_from.isoformat()}), so notice is due not less than {hours} hours "
        f"before departure, by {due_at.isoformat(timespec='minutes')}; notice given by then "
        "is in time."
    )
    return Deadline(due, due_at, note="twelve_hours")


def travel_change_due(departure: date, departure_time: time | None, trace: Trace) -> Deadline:
    """Travel Regs 2004 (as amended): a change to notified details is notified at least 24
    hours before departure [M] (§1.7, open question 3)."""
    hours = trace.use("travel_change_hours")
    due_at = _departure_at(departure, departure_time, trace) - timedelta(hours=hours)
    due = _last_whole_day(due_at)
    trace.explain(
        f"Travel Regs 2004 (as amended): a change to the travel departing "
        f"{departure.isoformat()} must be notified at least {hours} hours before "
        f"departure, by {due_at.isoformat(timespec='minutes')}."
    )
    return Deadline(due, due_at)


def return_due(returned: date, trace: Trace) -> date:
    """Travel Regs 2004 (as amended): return notified within 3 days [M] (§1.7)."""
    days = trace.use("travel_return_days")
    due = nth_counted_day(returned, days)
    trace.explain(
        f"Travel Regs 2004 (as amended): the return on {returned.isoformat()} must "
        f"be notified within {days} days beginning with that day, by "
        f"{due.isoformat()}."
    )
    return due


def review_qualifying_date(
    base: date, *, under_18: bool, trace: Trace, further: bool = False
) -> date:
    """s.91B(2)-(3): the day after the end of the 15-year (8 if under 18 on the relevant date)
    period beginning with the relevant notification; after a determination to continue, the
    day after the 8-year period beginning with it. §1.10 ``qualifying_date``."""
    if further:
        years = trace.use("further_review_years")
    else:
        years = trace.use("review_youth_years" if under_18 else "review_adult_years")
    end = corresponding_date(
        base, years=years, missing=trace.ruleset.missing_corresponding_day.value
    )
    if end.convention_used:
        trace.assume("missing_corresponding_day")
    return end.value


def _disregard_note_cy(start: date, due: date, days: int) -> str:
    skipped = (due - start).days + 1 - days
    return f" ({skipped} diwrnod a ddiystyrir heb eu cyfrif)" if skipped > 0 else ""


def _disregard_note(start: date, due: date, days: int) -> str:
    skipped = (due - start).days + 1 - days
    if skipped <= 0:
        return ""
    return f" ({skipped} disregarded day{'s' if skipped != 1 else ''} not counted)"


# ---------------------------------------------------------------------------------------
# The whole picture (docs/interfaces.md §3)


@dataclass
class DeadlinesResult:
    request: DeadlinesRequest
    trace: Trace
    initial_notification_due: date
    initial_status: str
    initial_notified: date | None
    next_periodic_due: date | None
    last_qualifying_notification: date | None
    event_deadlines: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    late: list[dict[str, Any]] = field(default_factory=list)
    review_eligible_from: date | None = None
    review_basis: str | None = None

    def as_json(self) -> dict[str, Any]:
        r = self.request
        return {
            "ruleset": self.trace.ruleset_json(),
            "relevant_date": r.relevant_date.isoformat(),
            "last_day": _iso(r.last_day),
            "indefinite": r.last_day is None,
            "as_of": r.as_of.isoformat(),
            "no_fixed_abode": r.no_fixed_abode,
            "initial_notification_due": self.initial_notification_due.isoformat(),
            "initial_notification": {
                "due": self.initial_notification_due.isoformat(),
                "status": self.initial_status,
                "notified": _iso(self.initial_notified),
            },
            "next_periodic_due": _iso(self.next_periodic_due),
            "periodic_kind": "weekly" if self._nfa_now() else "annual",
            "last_qualifying_notification": _iso(self.last_qualifying_notification),
            "event_deadlines": self.event_deadlines,
            "overdue": self.overdue,
            "late": self.late,
            "review_eligible_from": _iso(self.review_eligible_from),
            "review_basis": self.review_basis,
            "explanations": self.trace.explanations,
            "assumptions": self.trace.assumptions_json(),
            "warnings": self.trace.warnings,
        }

    def _nfa_now(self) -> bool:
        qualifying = [n for n in _made(self.request) if n.moves_periodic_date()]
        if not qualifying:
            return self.request.no_fixed_abode
        last = qualifying[-1]
        return self.request.no_fixed_abode if last.no_fixed_abode is None else last.no_fixed_abode


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _made(request: DeadlinesRequest) -> list[Notification]:
    """Notifications made on or before ``as_of``, in date order."""
    return sorted(
        (n for n in request.notifications if n.date <= request.as_of), key=lambda n: n.date
    )


def _status(due: date | None, notified: date | None, as_of: date) -> str:
    if due is None:
        return "not_required"
    if notified is not None:
        return "met" if notified <= due else "late"
    return "overdue" if as_of > due else "due"


def compute_deadlines(request: DeadlinesRequest, trace: Trace) -> DeadlinesResult:
    """Everything due, next and overdue as of ``request.as_of`` (docs/interfaces.md §3)."""
    disregarded = request.disregarded_periods
    if any(n.date > request.as_of for n in request.notifications):
        trace.warn(
            "Notifications dated after as_of were ignored: the answer is the position "
            "as of that date."
        )
    made = _made(request)

    # s.83: initial notification
    initial_due = initial_notification_due(request.relevant_date, disregarded, trace)
    initial = next((n for n in made if n.type is NotificationType.INITIAL), None)
    initial_status = _status(initial_due, initial.date if initial else None, request.as_of)

    result = DeadlinesResult(
        request, trace, initial_due, initial_status, initial.date if initial else None, None, None
    )
    if initial_status == "overdue":
        result.overdue.append({"type": "initial", "due": initial_due.isoformat()})
    elif initial_status == "late":
        result.late.append(
            {
                "type": "initial",
                "due": initial_due.isoformat(),
                "notified": initial.date.isoformat() if initial else None,
            }
        )

    _periodic(request, made, result, trace)
    for index, event in enumerate(request.events):
        _event(index, event, request, made, result, trace)
    _review(request, made, result, trace)
    return result


def _periodic(
    request: DeadlinesRequest, made: list[Notification], result: DeadlinesResult, trace: Trace
) -> None:
    qualifying = [n for n in made if n.moves_periodic_date()]
    if not qualifying:
        trace.explain(
            "SOA 2003 s.85(1): no notification under s.83(1), s.84(1) or s.85(1) has "
            "been made yet, so no periodic notification date has started.",
            welsh=f"{SOA_CY} adran 85(1): nid oes hysbysiad o dan adran 83(1), 84(1) nac "
            "85(1) wedi’i wneud eto, felly nid oes dyddiad hysbysu cyfnodol wedi dechrau.",
        )
        return
    silent = Trace(trace.ruleset)  # history: late periodic notifications, without explanations

    def nfa(n: Notification) -> bool:
        return request.no_fixed_abode if n.no_fixed_abode is None else n.no_fixed_abode

    for previous, following in zip(qualifying, qualifying[1:], strict=False):
        due = periodic_due(
            previous.date,
            no_fixed_abode=nfa(previous),
            disregarded=request.disregarded_periods,
            trace=silent,
        )
        if following.date > due and (request.last_day is None or due <= request.last_day):
            result.late.append(
                {"type": "periodic", "due": due.isoformat(), "notified": following.date.isoformat()}
            )
    trace.assumptions.update(silent.assumptions)
    last = qualifying[-1]
    result.last_qualifying_notification = last.date
    due = periodic_due(
        last.date, no_fixed_abode=nfa(last), disregarded=request.disregarded_periods, trace=trace
    )
    if request.last_day is not None and due > request.last_day:
        trace.explain(
            f"SOA 2003 s.82: the notification period ends on "
            f"{request.last_day.isoformat()}, before {due.isoformat()}, so no further "
            "periodic notification is required."
        )
        return
    result.next_periodic_due = due
    if request.as_of > due:
        result.overdue.append(
            {"type": "weekly" if nfa(last) else "periodic", "due": due.isoformat()}
        )


def _advance_notice(
    index: int,
    event_date: date,
    matter: Matter,
    request: DeadlinesRequest,
    made: list[Notification],
    entry: dict[str, Any],
    result: DeadlinesResult,
    trace: Trace,
) -> Notification | None:
    """s.84(2)-(4) (§1.5): a change notified before it happens, stating an expected date.

    It meets the s.84(1) duty unless the event happens more than 2 days before the stated
    date (s.84(3)) or has not happened by the end of 3 days beginning with it (s.84(4)(a)); in
    the second case the person must also notify, within 6 days beginning with the stated date,
    that it did not occur (s.84(4)(b)), disregarded periods applied (s.84(5)).
    """
    notices = [
        n
        for n in made
        if n.expected_date is not None
        and n.date <= event_date
        and matter in n.matters
        and n.type in (NotificationType.CHANGE, NotificationType.NEW_MATTER)
    ]
    if not notices:
        return None
    notice = notices[-1]
    expected = notice.expected_date
    assert expected is not None
    entry["expected_date"] = expected.isoformat()
    early = trace.use("advance_notice_early_days")
    window = trace.use("advance_notice_window_days")
    if event_date < expected - timedelta(days=early):
        trace.explain(
            f"SOA 2003 s.84(3): the change happened on {event_date.isoformat()}, more than "
            f"{early} days before the date notified in advance ({expected.isoformat()}), so the "
            "advance notice does not meet the duty."
        )
        return None
    window_end = nth_counted_day(expected, window, request.disregarded_periods)
    if event_date <= window_end:
        trace.explain(
            f"SOA 2003 s.84(2): the change was notified in advance on "
            f"{notice.date.isoformat()} for {expected.isoformat()} and happened within "
            f"{window} days beginning with that date, so the advance notice meets the duty."
        )
        return notice
    days = trace.use("non_occurrence_days")
    non_occurrence_due = nth_counted_day(expected, days, request.disregarded_periods)
    told = _first_notification(made, notice.date, NotificationType.NON_OCCURRENCE, matter=matter)
    status = _status(non_occurrence_due, told.date if told else None, request.as_of)
    entry["non_occurrence_due"] = non_occurrence_due.isoformat()
    entry["non_occurrence_status"] = status
    trace.explain(
        f"SOA 2003 s.84(4): the change notified for {expected.isoformat()} had not happened by "
        f"the end of {window} days beginning with that date, so the advance notice does not "
        f"meet the duty, and the fact that it did not occur had to be notified within {days} "
        f"days beginning "
        f"with {expected.isoformat()}, by {non_occurrence_due.isoformat()}."
    )
    if status == "overdue":
        result.overdue.append(
            {"type": "non_occurrence", "due": non_occurrence_due.isoformat(), "event": index}
        )
    elif status == "late" and told is not None:
        result.late.append(
            {
                "type": "non_occurrence",
                "due": non_occurrence_due.isoformat(),
                "event": index,
                "notified": told.date.isoformat(),
            }
        )
    return None


def _first_notification(
    made: list[Notification],
    since: date,
    *types: NotificationType,
    matter: Matter | None = None,
    departure: date | None = None,
) -> Notification | None:
    for n in made:
        if n.date < since or n.type not in types:
            continue
        if matter is not None and matter not in n.matters:
            continue
        if departure is not None and n.departure != departure:
            continue
        return n
    return None


def _event(
    index: int,
    event: Event,
    request: DeadlinesRequest,
    made: list[Notification],
    result: DeadlinesResult,
    trace: Trace,
) -> None:
    disregarded = request.disregarded_periods
    entry: dict[str, Any] = {"event": index, "type": event.type.value}
    due: date | None = None
    due_at: datetime | None = None
    anchor: date | None = None  # the day the duty arises
    notified: Notification | None = None
    if event.type is EventType.CHANGE:
        assert event.matter is not None and event.date is not None
        entry["matter"] = event.matter.value
        anchor = event.date
        due = change_due(event.date, event.matter, disregarded, trace)
        notified = _advance_notice(
            index, event.date, event.matter, request, made, entry, result, trace
        ) or _first_notification(
            made,
            event.date,
            NotificationType.CHANGE,
            NotificationType.NEW_MATTER,
            matter=event.matter,
        )
    elif event.type is EventType.STAY:
        entry["matter"] = Matter.OTHER_ADDRESS.value
        if event.address is not None:
            entry["address"] = event.address
        trigger = qualifying_period_reached(event.stays, trace)
        entry["qualifying_period_reached"] = _iso(trigger)
        if trigger is None:
            trace.explain(
                "SOA 2003 s.84(1)(c), (6): the stays given do not amount to 7 days "
                "in any period of 12 months, so no notification is required yet."
            )
            entry.update(due=None, status="not_triggered", notified=None)
            result.event_deadlines.append(entry)
            return
        trace.explain(
            f"SOA 2003 s.84(6): the stays reach the qualifying period of 7 days on "
            f"{trigger.isoformat()}."
        )
        anchor = trigger
        due = change_due(trigger, Matter.OTHER_ADDRESS, disregarded, trace)
        notified = _first_notification(
            made, trigger, NotificationType.CHANGE, matter=Matter.OTHER_ADDRESS
        )
    elif event.type is EventType.TRAVEL:
        assert event.departure is not None
        entry["departure"] = event.departure.isoformat()
        if event.known_from is not None:
            entry["known_from"] = event.known_from.isoformat()
        deadline = travel_notice_due(event.departure, event.known_from, event.departure_time, trace)
        due, due_at = deadline.due, deadline.due_at
        entry["rule"] = deadline.note
        anchor = due
        notified = _first_notification(
            made, date.min, NotificationType.TRAVEL, departure=event.departure
        )
        if event.return_date is not None:
            _travel_return(index, event, request, made, entry, result, trace)
    elif event.type is EventType.TRAVEL_CHANGE:
        assert event.departure is not None and event.date is not None
        entry["departure"] = event.departure.isoformat()
        deadline = travel_change_due(event.departure, event.departure_time, trace)
        due, due_at = deadline.due, deadline.due_at
        anchor = event.date
        notified = _first_notification(
            made,
            event.date,
            NotificationType.TRAVEL_CHANGE,
            NotificationType.TRAVEL,
            departure=event.departure,
        )
    else:  # RETURN
        assert event.date is not None
        anchor = event.date
        if event.departure is not None:
            entry["departure"] = event.departure.isoformat()
        due = return_due(event.date, trace)
        notified = _return_notification(made, event.date, event.departure)

    if request.last_day is not None and anchor is not None and anchor > request.last_day:
        trace.explain(
            f"SOA 2003 s.82: event {index} falls after the last day subject "
            f"({request.last_day.isoformat()}), so no notification is required."
        )
        due, due_at, notified = None, None, None
    entry["due"] = _iso(due)
    if due_at is not None:
        entry["due_at"] = due_at.isoformat(timespec="minutes")
    status = _status(due, notified.date if notified else None, request.as_of)
    entry["status"] = status
    entry["notified"] = _iso(notified.date) if notified else None
    result.event_deadlines.append(entry)
    if status == "overdue":
        result.overdue.append({"type": event.type.value, "due": _iso(due), "event": index})
    elif status == "late":
        result.late.append(
            {
                "type": event.type.value,
                "due": _iso(due),
                "event": index,
                "notified": entry["notified"],
            }
        )


def _return_notification(
    made: list[Notification], returned: date, departure: date | None
) -> Notification | None:
    """The first return notification on or after the return; one naming another trip's
    departure does not count for this trip."""
    for n in made:
        if n.type is not NotificationType.RETURN or n.date < returned:
            continue
        if departure is not None and n.departure is not None and n.departure != departure:
            continue
        return n
    return None


def _travel_return(
    index: int,
    event: Event,
    request: DeadlinesRequest,
    made: list[Notification],
    entry: dict[str, Any],
    result: DeadlinesResult,
    trace: Trace,
) -> None:
    """Travel Regs 2004 (as amended by Regs 2012) [M] (§1.7): where the travel notice did not
    give the return date and point of arrival, or the person came back on another day than
    the one notified, the return is notified within 3 days beginning with the day of return.
    """
    returned = event.return_date
    assert returned is not None and event.departure is not None
    entry["return"] = returned.isoformat()
    changed = event.planned_return is not None and event.planned_return != returned
    if event.return_notified_in_advance is None and not changed:
        trace.warn(
            "return_notified_in_advance was not given for a trip with a return date: a "
            "return notification is taken as required."
        )
    required = changed or not event.return_notified_in_advance
    if request.last_day is not None and returned > request.last_day:
        required = False
    if not required:
        entry.update(return_due=None, return_status="not_required", return_notified=None)
        trace.explain(
            f"Travel Regs 2004 (as amended by Regs 2012): the return on "
            f"{returned.isoformat()} was given in the travel notice (or falls after the "
            "period), so no return notification is required."
        )
        return
    if changed:
        assert event.planned_return is not None
        trace.explain(
            f"Travel Regs 2004 (as amended by Regs 2012): the person returned on "
            f"{returned.isoformat()}, not on {event.planned_return.isoformat()} as notified, "
            "so the return must be notified."
        )
    due = return_due(returned, trace)
    told = _return_notification(made, returned, event.departure)
    status = _status(due, told.date if told else None, request.as_of)
    entry.update(
        return_due=due.isoformat(),
        return_status=status,
        return_notified=_iso(told.date) if told else None,
    )
    if status == "overdue":
        result.overdue.append({"type": "return", "due": due.isoformat(), "event": index})
    elif status == "late" and told is not None:
        result.late.append(
            {
                "type": "return",
                "due": due.isoformat(),
                "event": index,
                "notified": told.date.isoformat(),
            }
        )


def _review(
    request: DeadlinesRequest, made: list[Notification], result: DeadlinesResult, trace: Trace
) -> None:
    if request.last_day is not None:
        return
    if request.subject_to_sexual_harm_order:
        result.review_basis = "S91A_2_NOT_ELIGIBLE_SHPO"
        trace.explain(
            "SOA 2003 s.91A(2): a person subject to a sexual harm prevention order "
            "(or SOPO, or an interim order) cannot seek a review."
        )
        return
    under_18 = bool(request.under_18_on_relevant_date)
    if request.under_18_on_relevant_date is None:
        trace.warn(
            "under_18_on_relevant_date was not given: the review date uses the adult "
            "15-year period (s.91B(2))."
        )
    since = request.released_on or request.relevant_date
    relevant = next((n for n in made if n.date >= since and n.moves_periodic_date()), None)
    if relevant is not None:
        base, basis = relevant.date, "S91B_2_RELEVANT_NOTIFICATION"
        what = f"the notification of {base.isoformat()}"
    else:
        trace.use("review_basis_relevant_date")
        base, basis = request.relevant_date, "S91B_2_EARLIEST_POSSIBLE"
        what = (
            f"the relevant date {base.isoformat()} (earliest possible; no notification "
            "after release is recorded)"
        )
    eligible = review_qualifying_date(base, under_18=under_18, trace=trace)
    years = (
        trace.ruleset.review_youth_years.value
        if under_18
        else trace.ruleset.review_adult_years.value
    )
    trace.explain(
        f"SOA 2003 s.91B(2): a review may be sought from {eligible.isoformat()}, the "
        f"day after the {years}-year period beginning with {what}."
    )
    if request.review_determinations:
        latest = max(request.review_determinations)
        further = review_qualifying_date(latest, under_18=under_18, trace=trace, further=True)
        trace.explain(
            f"SOA 2003 s.91B(3): after the determination of {latest.isoformat()} to "
            f"continue the requirements, a further review may be sought from "
            f"{further.isoformat()}."
        )
        if further > eligible:
            eligible, basis = further, "S91B_3_FURTHER_REVIEW"
    result.review_eligible_from = eligible
    result.review_basis = basis
