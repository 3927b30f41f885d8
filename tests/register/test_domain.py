"""The bridge between recorded notifications and the law engines (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.law import Matter, NotificationType
from comeforward.register.domain import (
    NotificationKind,
    RecordedNotification,
    earliest,
    next_due_from,
    position,
    to_events,
    to_law,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "expected_type", "nfa"),
    [
        (NotificationKind.INITIAL, NotificationType.INITIAL, None),
        (NotificationKind.PERIODIC, NotificationType.PERIODIC, False),
        (NotificationKind.WEEKLY, NotificationType.PERIODIC, True),
    ],
)
def test_kinds_map_onto_law_types(kind, expected_type, nfa):
    n = to_law(RecordedNotification(kind=kind, date=D(2025, 3, 2)))
    assert (n.type, n.date, n.no_fixed_abode) == (expected_type, D(2025, 3, 2), nfa)


def test_bank_details_are_a_regs_2012_change_that_does_not_restart_the_year():
    n = to_law(
        RecordedNotification(
            kind=NotificationKind.BANK_PASSPORT, date=D(2025, 4, 1), matters=("passport",)
        )
    )
    assert n.type is NotificationType.CHANGE
    assert n.matters == (Matter.PASSPORT,)
    assert n.moves_periodic_date() is False


def test_changes_and_travel_become_events_with_their_own_deadlines():
    events = to_events(
        [
            RecordedNotification(
                kind=NotificationKind.CHANGE,
                date=D(2025, 4, 3),
                matters=("name", "home_address"),
                changed_on=D(2025, 4, 1),
            ),
            RecordedNotification(
                kind=NotificationKind.TRAVEL, date=D(2025, 5, 1), departure=D(2025, 5, 20)
            ),
        ]
    )
    assert [(e.type.value, e.matter, e.date, e.departure) for e in events] == [
        ("change", Matter.NAME, D(2025, 4, 1), None),
        ("change", Matter.HOME_ADDRESS, D(2025, 4, 1), None),
        ("travel", None, None, D(2025, 5, 20)),
    ]


def test_no_notification_yet_only_the_initial_is_due():
    result = position(
        relevant_date=D(2025, 3, 1),
        last_day=D(2027, 2, 28),
        under_18=False,
        no_fixed_abode=False,
        notifications=[],
        as_of=D(2025, 3, 2),
    )
    due = next_due_from(result)
    assert (due.initial_due, due.next_periodic_due) == (D(2025, 3, 3), None)


def test_after_the_initial_notification_the_annual_one_is_next():
    result = position(
        relevant_date=D(2025, 3, 1),
        last_day=D(2027, 2, 28),
        under_18=False,
        no_fixed_abode=False,
        notifications=[RecordedNotification(kind=NotificationKind.INITIAL, date=D(2025, 3, 2))],
        as_of=D(2025, 3, 2),
    )
    due = next_due_from(result)
    assert (due.initial_due, due.next_periodic_due) == (None, D(2026, 3, 2))


def test_weekly_with_no_fixed_abode():
    result = position(
        relevant_date=D(2025, 3, 1),
        last_day=D(2027, 2, 28),
        under_18=False,
        no_fixed_abode=True,
        notifications=[
            RecordedNotification(kind=NotificationKind.INITIAL, date=D(2025, 3, 2)),
            RecordedNotification(kind=NotificationKind.WEEKLY, date=D(2025, 3, 9)),
        ],
        as_of=D(2025, 3, 9),
    )
    assert next_due_from(result).next_periodic_due == D(2025, 3, 16)


def test_earliest_ignores_missing_dates():
    assert earliest(None, D(2025, 5, 1), D(2025, 4, 1)) == D(2025, 4, 1)
    assert earliest(None, None) is None
