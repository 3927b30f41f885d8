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
from comeforward.law.deadlines import REGS2012_MATTERS, S84_MATTERS


class NotificationKind(models.TextChoices):
    INITIAL = "initial", "Initial notification (s.83)"
    CHANGE = "change", "Change of name, address or release (s.84)"
    PERIODIC = "periodic", "Periodic notification (s.85)"
    WEEKLY = "weekly", "Weekly notification, no fixed abode (s.85 and Regs 2012)"
    TRAVEL = "travel", "Foreign travel (s.86)"
    CHILD_HOUSEHOLD = "child_household", "Residing or staying with a child (Regs 2012)"
    BANK_PASSPORT = "bank_passport", "Bank, card, passport or identity details (Regs 2012)"


class DueKind(models.TextChoices):
    INITIAL = "initial", "Initial notification"
    PERIODIC = "periodic", "Periodic notification"
    ARMS = "arms", "ARMS assessment"
    HOME_VISIT = "home_visit", "Home visit"


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


def to_law(n: RecordedNotification) -> Notification:
    """Map a recorded notification onto ``law.Notification`` (INTERFACES.md §2 input)."""
    kind = NotificationKind(n.kind)
    if kind is NotificationKind.INITIAL:
        return Notification(NotificationType.INITIAL, n.date)
    if kind is NotificationKind.PERIODIC:
        return Notification(NotificationType.PERIODIC, n.date, no_fixed_abode=False)
    if kind is NotificationKind.WEEKLY:
        return Notification(NotificationType.PERIODIC, n.date, no_fixed_abode=True)
    if kind is NotificationKind.TRAVEL:
        return Notification(NotificationType.TRAVEL, n.date, departure=n.departure)
    return Notification(
        NotificationType.CHANGE, n.date, matters=tuple(Matter(m) for m in n.matters)
    )


def to_events(notifications: Iterable[RecordedNotification]) -> tuple[Event, ...]:
    """The duties the notifications answer (a change on a day; a departure), so that
    ``law`` says when each was due and whether it was met or late."""
    events: list[Event] = []
    for n in notifications:
        if n.kind == NotificationKind.TRAVEL and n.departure is not None:
            events.append(Event(EventType.TRAVEL, departure=n.departure))
        elif n.kind in KIND_MATTERS and n.changed_on is not None:
            events.extend(
                Event(EventType.CHANGE, date=n.changed_on, matter=Matter(m)) for m in n.matters
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
) -> DeadlinesResult:
    """``law.deadlines`` for the record as of ``as_of`` (INTERFACES.md §2)."""
    recorded = tuple(notifications)
    return deadlines(
        DeadlinesRequest(
            relevant_date=relevant_date,
            last_day=last_day,
            as_of=as_of,
            no_fixed_abode=no_fixed_abode,
            notifications=tuple(to_law(n) for n in recorded),
            events=to_events(recorded),
            under_18_on_relevant_date=under_18,
        )
    )


@dataclass(frozen=True)
class NextDue:
    initial_due: dt.date | None
    next_periodic_due: dt.date | None


def next_due_from(result: DeadlinesResult) -> NextDue:
    """What the sweep needs from ``law``'s answer: the initial deadline while no initial
    notification is made, and the next periodic (or weekly) deadline."""
    initial = (
        result.initial_notification_due if result.initial_status in ("due", "overdue") else None
    )
    return NextDue(initial_due=initial, next_periodic_due=result.next_periodic_due)


def earliest(*dates: dt.date | None) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None
