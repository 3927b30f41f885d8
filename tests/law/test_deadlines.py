"""Deadlines: ss.83-86, s.84(6) qualifying period, Regs 2012, Travel Regs, s.91B review.

Research: domain-rules.md §1.4-§1.10.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from comeforward.law import (
    RULESET,
    DeadlinesRequest,
    Event,
    EventType,
    Matter,
    Notification,
    NotificationType,
    deadlines,
)
from comeforward.law.dates import DayRange
from comeforward.law.deadlines import (
    change_due,
    initial_notification_due,
    periodic_due,
    qualifying_period_reached,
    travel_change_due,
    travel_notice_due,
)
from comeforward.law.trace import Trace

D = date
N = Notification
NT = NotificationType


def trace() -> Trace:
    return Trace(RULESET)


def request(**kwargs) -> DeadlinesRequest:
    base = {"relevant_date": D(2025, 3, 12), "last_day": D(2027, 3, 11), "as_of": D(2026, 5, 1)}
    base.update(kwargs)
    return DeadlinesRequest(**base)


# --- s.83 initial notification -----------------------------------------------------------


def test_initial_due_three_days_beginning_with_relevant_date():
    assert initial_notification_due(D(2025, 3, 12), (), trace()) == D(2025, 3, 14)


def test_initial_due_custody_spanning_the_deadline():
    t = trace()
    custody = (DayRange(D(2025, 3, 13), D(2025, 3, 31)),)
    assert initial_notification_due(D(2025, 3, 12), custody, t) == D(2025, 4, 2)
    assert "whole_day_disregard" in t.assumptions
    assert "19 disregarded days not counted" in t.explanations[-1]


def test_initial_due_disregard_after_deadline_is_not_an_assumption():
    t = trace()
    later = (DayRange(D(2025, 3, 20), D(2025, 3, 31)),)
    assert initial_notification_due(D(2025, 3, 12), later, t) == D(2025, 3, 14)
    assert t.assumptions == {}


def test_initial_status_met_on_last_day_late_the_day_after():
    met = deadlines(request(notifications=(N(NT.INITIAL, D(2025, 3, 14)),))).as_json()
    assert met["initial_notification"] == {
        "due": "2025-03-14",
        "status": "met",
        "notified": "2025-03-14",
    }
    late = deadlines(
        request(as_of=D(2025, 4, 1), notifications=(N(NT.INITIAL, D(2025, 3, 15)),))
    ).as_json()
    assert late["initial_notification"]["status"] == "late"
    assert late["late"][0] == {"type": "initial", "due": "2025-03-14", "notified": "2025-03-15"}
    assert late["overdue"] == []


def test_initial_overdue_only_after_the_last_day():
    on_day = deadlines(request(as_of=D(2025, 3, 14))).as_json()
    assert on_day["overdue"] == [] and on_day["initial_notification"]["status"] == "due"
    after = deadlines(request(as_of=D(2025, 3, 15))).as_json()
    assert after["overdue"] == [{"type": "initial", "due": "2025-03-14"}]
    assert after["next_periodic_due"] is None


# --- s.84 changes --------------------------------------------------------------------------


def test_change_due_and_regs2012_flag():
    t = trace()
    assert change_due(D(2026, 4, 20), Matter.HOME_ADDRESS, (), t) == D(2026, 4, 22)
    assert t.assumptions == {}
    assert change_due(D(2026, 4, 20), Matter.BANK_ACCOUNT, (), t) == D(2026, 4, 22)
    assert "regs2012_change_days" in t.assumptions


def test_change_due_abroad_on_the_last_day():
    abroad = (DayRange(D(2026, 4, 22), D(2026, 4, 25)),)
    assert change_due(D(2026, 4, 20), Matter.NAME, abroad, trace()) == D(2026, 4, 26)


def test_change_notified_on_last_day_is_met():
    result = deadlines(
        request(
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.CHANGE, D(2026, 4, 22), (Matter.HOME_ADDRESS,)),
            ),
            events=(Event(EventType.CHANGE, date=D(2026, 4, 20), matter=Matter.HOME_ADDRESS),),
        )
    ).as_json()
    assert result["event_deadlines"] == [
        {
            "event": 0,
            "type": "change",
            "matter": "home_address",
            "due": "2026-04-22",
            "status": "met",
            "notified": "2026-04-22",
        }
    ]
    # the change notification moves the annual date (s.85(2)); 2027-04-22 is after the last day
    assert result["next_periodic_due"] is None
    assert result["last_qualifying_notification"] == "2026-04-22"


def test_change_notified_the_day_after_is_late_and_unnotified_is_overdue():
    ev = (Event(EventType.CHANGE, date=D(2026, 4, 20), matter=Matter.HOME_ADDRESS),)
    late = deadlines(
        request(
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.PERIODIC, D(2026, 3, 13)),
                N(NT.CHANGE, D(2026, 4, 23), (Matter.HOME_ADDRESS,)),
            ),
            events=ev,
        )
    ).as_json()
    assert late["event_deadlines"][0]["status"] == "late"
    assert late["late"] == [
        {"type": "change", "due": "2026-04-22", "event": 0, "notified": "2026-04-23"}
    ]
    overdue = deadlines(
        request(
            notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 13))), events=ev
        )
    ).as_json()
    assert overdue["overdue"] == [{"type": "change", "due": "2026-04-22", "event": 0}]


def test_notification_of_another_matter_does_not_satisfy_a_change():
    result = deadlines(
        request(
            as_of=D(2026, 4, 30),
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.CHANGE, D(2026, 4, 21), (Matter.NAME,)),
            ),
            events=(Event(EventType.CHANGE, date=D(2026, 4, 20), matter=Matter.HOME_ADDRESS),),
        )
    ).as_json()
    assert result["event_deadlines"][0]["status"] == "overdue"


def test_change_after_last_day_not_required():
    result = deadlines(
        request(
            as_of=D(2027, 6, 1),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)),),
            events=(
                Event(EventType.CHANGE, date=D(2027, 3, 12), matter=Matter.HOME_ADDRESS),
                Event(EventType.CHANGE, date=D(2027, 3, 11), matter=Matter.HOME_ADDRESS),
            ),
        )
    ).as_json()
    assert result["event_deadlines"][0]["status"] == "not_required"
    assert result["event_deadlines"][0]["due"] is None
    # a change on the last day subject must still be notified
    assert result["event_deadlines"][1]["due"] == "2027-03-13"
    assert result["event_deadlines"][1]["status"] == "overdue"


# --- s.84(6) qualifying period -------------------------------------------------------------


def test_qualifying_period_seven_consecutive_days():
    stays = (DayRange(D(2026, 1, 1), D(2026, 1, 10)),)
    assert qualifying_period_reached(stays, trace()) == D(2026, 1, 7)


def test_qualifying_period_six_days_not_reached():
    stays = (DayRange(D(2026, 1, 1), D(2026, 1, 6)),)
    assert qualifying_period_reached(stays, trace()) is None


def test_qualifying_period_separate_stays_within_12_months():
    stays = (
        DayRange(D(2025, 6, 1), D(2025, 6, 3)),
        DayRange(D(2025, 9, 1), D(2025, 9, 2)),
        DayRange(D(2026, 5, 31), D(2026, 6, 2)),
    )
    # 3 + 2 days; on 2026-05-31 the June 2025 days have left the 12-month window
    # (window 2025-06-01..2026-05-31 includes 2025-06-01) → count 3+2+1 = 6 on 31 May,
    # on 1 June the window starts 2025-06-02: 2+2+2 = 6, on 2 June: 1+2+3 = 6.
    assert qualifying_period_reached(stays, trace()) is None
    stays2 = stays[:2] + (DayRange(D(2026, 5, 30), D(2026, 5, 31)),)
    # on 2026-05-31 the window 2025-06-01..2026-05-31 holds 3 + 2 + 2 = 7 days
    assert qualifying_period_reached(stays2, trace()) == D(2026, 5, 31)


def test_qualifying_period_overlapping_stays_counted_once():
    stays = (DayRange(D(2026, 1, 1), D(2026, 1, 5)), DayRange(D(2026, 1, 3), D(2026, 1, 6)))
    assert qualifying_period_reached(stays, trace()) is None


def test_stay_event_deadline():
    result = deadlines(
        request(
            notifications=(N(NT.INITIAL, D(2025, 3, 13)),),
            events=(
                Event(
                    EventType.STAY, stays=(DayRange(D(2026, 1, 1), D(2026, 1, 10)),), address="A"
                ),
                Event(EventType.STAY, stays=(DayRange(D(2026, 1, 1), D(2026, 1, 2)),)),
            ),
        )
    ).as_json()
    first, second = result["event_deadlines"]
    assert first["qualifying_period_reached"] == "2026-01-07"
    assert first["due"] == "2026-01-09"
    assert first["status"] == "overdue"
    assert second["status"] == "not_triggered" and second["due"] is None


# --- s.85 periodic ----------------------------------------------------------------------------


def test_periodic_due_on_anniversary():
    t = trace()
    assert periodic_due(D(2025, 3, 13), no_fixed_abode=False, disregarded=(), trace=t) == D(
        2026, 3, 13
    )
    assert "periodic_due_on_anniversary" in t.assumptions


def test_periodic_due_leap_day_earlier_convention_reported():
    t = trace()
    assert periodic_due(D(2024, 2, 29), no_fixed_abode=False, disregarded=(), trace=t) == D(
        2025, 2, 28
    )
    assert "leap_day_deadline" in t.assumptions


def test_periodic_due_weekly_with_no_fixed_abode():
    t = trace()
    assert periodic_due(D(2025, 3, 13), no_fixed_abode=True, disregarded=(), trace=t) == D(
        2025, 3, 20
    )
    assert "no_fixed_abode_due_on_day_7" in t.assumptions


def test_periodic_due_extended_when_abroad_on_due_date():
    abroad = (DayRange(D(2026, 3, 10), D(2026, 3, 20)),)
    # due 2026-03-13 falls abroad; 3 days beginning with 2026-03-21 → 2026-03-23 (s.85(3)-(4))
    assert periodic_due(
        D(2025, 3, 13), no_fixed_abode=False, disregarded=abroad, trace=trace()
    ) == D(2026, 3, 23)


def test_periodic_due_not_extended_when_back_on_due_date():
    abroad = (DayRange(D(2026, 3, 1), D(2026, 3, 12)),)
    assert periodic_due(
        D(2025, 3, 13), no_fixed_abode=False, disregarded=abroad, trace=trace()
    ) == D(2026, 3, 13)


def test_annual_date_moves_with_change_not_with_new_matter_or_travel():
    result = deadlines(
        request(
            as_of=D(2026, 5, 1),
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.CHANGE, D(2025, 9, 20), (Matter.HOME_ADDRESS,)),
                N(NT.NEW_MATTER, D(2025, 10, 2), (Matter.BANK_ACCOUNT,)),
                N(NT.CHANGE, D(2025, 11, 2), (Matter.PASSPORT,)),
                N(NT.TRAVEL, D(2026, 4, 1), departure=D(2026, 4, 10)),
            ),
        )
    ).as_json()
    assert result["last_qualifying_notification"] == "2025-09-20"
    assert result["next_periodic_due"] == "2026-09-20"
    assert result["overdue"] == [] and result["late"] == []


def test_periodic_overdue_and_late_history():
    result = deadlines(
        request(
            as_of=D(2027, 1, 1),
            last_day=D(2030, 1, 1),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 20))),
        )
    ).as_json()
    assert result["late"] == [{"type": "periodic", "due": "2026-03-13", "notified": "2026-03-20"}]
    assert result["next_periodic_due"] == "2027-03-20"
    assert result["overdue"] == []
    overdue = deadlines(
        request(
            as_of=D(2027, 3, 21),
            last_day=D(2030, 1, 1),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 20))),
        )
    ).as_json()
    assert overdue["overdue"] == [{"type": "periodic", "due": "2027-03-20"}]


def test_periodic_on_due_day_is_met():
    result = deadlines(
        request(
            as_of=D(2026, 6, 1),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 13))),
        )
    ).as_json()
    assert result["late"] == []
    assert result["next_periodic_due"] is None  # 2027-03-13 is after the last day 2027-03-11


def test_weekly_overdue_type():
    result = deadlines(
        request(
            as_of=D(2025, 3, 25),
            no_fixed_abode=True,
            notifications=(N(NT.INITIAL, D(2025, 3, 13)),),
        )
    ).as_json()
    assert result["next_periodic_due"] == "2025-03-20"
    assert result["periodic_kind"] == "weekly"
    assert result["overdue"] == [{"type": "weekly", "due": "2025-03-20"}]


def test_per_notification_fixed_abode_overrides_request():
    result = deadlines(
        request(
            as_of=D(2025, 3, 25),
            no_fixed_abode=True,
            notifications=(N(NT.INITIAL, D(2025, 3, 13), no_fixed_abode=False),),
        )
    ).as_json()
    assert result["next_periodic_due"] == "2026-03-13"
    assert result["periodic_kind"] == "annual"


def test_notifications_after_as_of_ignored_with_warning():
    result = deadlines(
        request(
            as_of=D(2025, 3, 13),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 1))),
        )
    ).as_json()
    assert result["next_periodic_due"] == "2026-03-13"
    assert result["warnings"]


# --- foreign travel ------------------------------------------------------------------------


def test_travel_seven_days_before_departure_worked_example():
    assert travel_notice_due(D(2025, 8, 20), None, None, trace()).due == D(2025, 8, 13)
    # known exactly 7 days ahead: the normal rule still applies
    assert travel_notice_due(D(2025, 8, 20), D(2025, 8, 13), None, trace()).due == D(2025, 8, 13)


def test_travel_late_known_twelve_hours_flagged():
    t = trace()
    deadline = travel_notice_due(D(2025, 8, 20), D(2025, 8, 14), time(18, 30), t)
    assert deadline.due_at == datetime(2025, 8, 20, 6, 30)
    assert deadline.due == D(2025, 8, 20)
    assert "travel_late_known_hours" in t.assumptions
    assert "default_departure_time" not in t.assumptions


def test_travel_late_known_without_time_assumes_midnight():
    t = trace()
    deadline = travel_notice_due(D(2025, 8, 20), D(2025, 8, 18), None, t)
    assert deadline.due_at == datetime(2025, 8, 19, 12, 0)
    assert deadline.due == D(2025, 8, 19)
    assert "default_departure_time" in t.assumptions


def test_travel_change_24_hours_midnight_boundary():
    deadline = travel_change_due(D(2025, 8, 20), None, trace())
    assert deadline.due_at == datetime(2025, 8, 19, 0, 0)
    assert deadline.due == D(2025, 8, 18)  # notice must be given before 00:00 on the 19th


def test_travel_event_met_and_overdue():
    ev = (Event(EventType.TRAVEL, departure=D(2026, 8, 20), known_from=D(2026, 7, 1)),)
    met = deadlines(
        request(
            as_of=D(2026, 8, 30),
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.PERIODIC, D(2026, 3, 13)),
                N(NT.TRAVEL, D(2026, 8, 13), departure=D(2026, 8, 20)),
            ),
            events=ev,
        )
    ).as_json()
    assert met["event_deadlines"][0] == {
        "event": 0,
        "type": "travel",
        "departure": "2026-08-20",
        "known_from": "2026-07-01",
        "rule": "seven_days",
        "due": "2026-08-13",
        "status": "met",
        "notified": "2026-08-13",
    }
    overdue = deadlines(
        request(
            as_of=D(2026, 8, 14),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 13))),
            events=ev,
        )
    ).as_json()
    assert overdue["overdue"] == [{"type": "travel", "due": "2026-08-13", "event": 0}]


def test_return_event_three_days():
    result = deadlines(
        request(
            as_of=D(2026, 5, 1),
            notifications=(N(NT.INITIAL, D(2025, 3, 13)),),
            events=(Event(EventType.RETURN, date=D(2026, 4, 28)),),
        )
    ).as_json()
    assert result["event_deadlines"][0]["due"] == "2026-04-30"
    assert result["event_deadlines"][0]["status"] == "overdue"
    assert "travel_return_days" in [a["key"] for a in result["assumptions"]]


# --- s.91B review in deadlines -------------------------------------------------------------


def test_review_from_first_notification_after_release():
    result = deadlines(
        request(
            relevant_date=D(2009, 1, 5),
            last_day=None,
            as_of=D(2013, 1, 1),
            released_on=D(2012, 6, 1),
            notifications=(
                N(NT.INITIAL, D(2009, 1, 6)),
                N(NT.CHANGE, D(2012, 6, 3), (Matter.RELEASE,)),
            ),
        )
    ).as_json()
    assert result["indefinite"] is True
    assert result["review_eligible_from"] == "2027-06-03"
    assert result["review_basis"] == "S91B_2_RELEVANT_NOTIFICATION"
    assert result["warnings"]  # under_18_on_relevant_date not given


def test_review_juvenile_and_further_review():
    result = deadlines(
        request(
            relevant_date=D(2009, 1, 5),
            last_day=None,
            as_of=D(2021, 1, 1),
            under_18_on_relevant_date=True,
            released_on=D(2012, 6, 1),
            notifications=(N(NT.CHANGE, D(2012, 6, 3), (Matter.RELEASE,)),),
            review_determinations=(D(2020, 9, 1),),
        )
    ).as_json()
    # first: 2020-06-03; after the determination of 2020-09-01 to continue: 2028-09-01
    assert result["review_eligible_from"] == "2028-09-01"
    assert result["review_basis"] == "S91B_3_FURTHER_REVIEW"


def test_no_review_for_fixed_period():
    assert deadlines(request()).as_json()["review_eligible_from"] is None


# --- the INTERFACES.md §2 example ----------------------------------------------------------


def test_interfaces_example():
    result = deadlines(
        request(
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.CHANGE, D(2025, 9, 20), (Matter.HOME_ADDRESS,)),
                N(NT.NEW_MATTER, D(2025, 10, 2), (Matter.BANK_ACCOUNT,)),
                N(NT.PERIODIC, D(2026, 9, 19)),
                N(NT.TRAVEL, D(2026, 4, 1), departure=D(2026, 4, 5)),
            ),
            events=(
                Event(EventType.CHANGE, date=D(2026, 4, 20), matter=Matter.HOME_ADDRESS),
                Event(EventType.TRAVEL, departure=D(2026, 8, 20), known_from=D(2026, 7, 1)),
            ),
            disregarded_periods=(DayRange(D(2025, 10, 1), D(2025, 10, 31)),),
        )
    ).as_json()
    assert result["initial_notification_due"] == "2025-03-14"
    assert result["next_periodic_due"] == "2026-09-20"
    assert [(e["event"], e["type"], e["due"]) for e in result["event_deadlines"]] == [
        (0, "change", "2026-04-22"),
        (1, "travel", "2026-08-13"),
    ]
    assert result["overdue"] == [{"type": "change", "due": "2026-04-22", "event": 0}]
    assert len(result["explanations"]) == 4
    assert all("s." in e or "Regs" in e for e in result["explanations"])


@pytest.mark.parametrize("as_of", [D(2012, 8, 12)])
def test_deadlines_before_ruleset_refused(as_of):
    from comeforward.law import ruleset_for
    from comeforward.law.errors import UnknownRuleSet

    with pytest.raises(UnknownRuleSet):
        ruleset_for(as_of)


# --- s.84(2)-(4) advance notification ---------------------------------------------------------


ADVANCE_AS_OF = D(2026, 6, 1)


def advance(event_day: date, *, as_of: date = ADVANCE_AS_OF, extra: tuple = ()) -> dict:
    return deadlines(
        request(
            as_of=as_of,
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.PERIODIC, D(2026, 3, 13)),
                N(NT.CHANGE, D(2026, 4, 1), (Matter.HOME_ADDRESS,), expected_date=D(2026, 4, 10)),
                *extra,
            ),
            events=(Event(EventType.CHANGE, date=event_day, matter=Matter.HOME_ADDRESS),),
        )
    ).as_json()


@pytest.mark.parametrize("day", [D(2026, 4, 8), D(2026, 4, 10), D(2026, 4, 12)])
def test_advance_notice_meets_the_duty_within_the_window(day):
    entry = advance(day)["event_deadlines"][0]
    assert entry["status"] == "met"
    assert entry["notified"] == "2026-04-01"
    assert entry["expected_date"] == "2026-04-10"
    assert "non_occurrence_due" not in entry


def test_advance_notice_event_more_than_two_days_early_needs_normal_notice():
    result = advance(D(2026, 4, 7))
    entry = result["event_deadlines"][0]
    assert entry["status"] == "overdue" and entry["due"] == "2026-04-09"
    assert any("s.84(3)" in e for e in result["explanations"])


def test_advance_notice_event_late_needs_non_occurrence_notice():
    result = advance(D(2026, 4, 13))
    entry = result["event_deadlines"][0]
    assert entry["status"] == "overdue" and entry["due"] == "2026-04-15"
    # s.84(4)(b): within 6 days beginning with 2026-04-10 → 2026-04-15
    assert entry["non_occurrence_due"] == "2026-04-15"
    assert entry["non_occurrence_status"] == "overdue"
    assert {"type": "non_occurrence", "due": "2026-04-15", "event": 0} in result["overdue"]


def test_advance_notice_non_occurrence_notified_on_last_day():
    result = advance(
        D(2026, 4, 20),
        extra=(
            N(NT.NON_OCCURRENCE, D(2026, 4, 15), (Matter.HOME_ADDRESS,)),
            N(NT.CHANGE, D(2026, 4, 21), (Matter.HOME_ADDRESS,)),
        ),
    )
    entry = result["event_deadlines"][0]
    assert entry["non_occurrence_status"] == "met"
    assert entry["status"] == "met" and entry["notified"] == "2026-04-21"
    assert result["overdue"] == []


# --- travel: short notice, return (issue 13.2) ---------------------------------------------


def _travel_request(as_of, event, *notifications):
    return request(
        as_of=as_of,
        notifications=(N(NT.INITIAL, D(2025, 3, 13)), N(NT.PERIODIC, D(2026, 3, 13)))
        + tuple(notifications),
        events=(event,),
    )


def test_short_notice_trip_notified_within_twelve_hours_rule_is_met_not_late():
    # booked 3 days before departure: the 7-day rule cannot apply (Travel Regs, 12 hours)
    event = Event(EventType.TRAVEL, departure=D(2026, 8, 20), known_from=D(2026, 8, 17))
    result = deadlines(
        _travel_request(
            D(2026, 8, 25), event, N(NT.TRAVEL, D(2026, 8, 18), departure=D(2026, 8, 20))
        )
    ).as_json()
    entry = result["event_deadlines"][0]
    assert (entry["rule"], entry["due"], entry["due_at"], entry["status"]) == (
        "twelve_hours",
        "2026-08-19",
        "2026-08-19T12:00",
        "met",
    )
    assert entry["known_from"] == "2026-08-17"
    assert result["late"] == [] and result["overdue"] == []
    assert any("not less than 12 hours before departure" in e for e in result["explanations"])


def test_short_notice_trip_notified_after_the_twelve_hour_limit_is_late():
    event = Event(
        EventType.TRAVEL,
        departure=D(2026, 8, 20),
        known_from=D(2026, 8, 17),
        departure_time=time(9, 0),
    )
    result = deadlines(
        _travel_request(
            D(2026, 8, 25), event, N(NT.TRAVEL, D(2026, 8, 20), departure=D(2026, 8, 20))
        )
    ).as_json()
    assert result["event_deadlines"][0]["due_at"] == "2026-08-19T21:00"
    assert result["late"] == [
        {"type": "travel", "due": "2026-08-19", "event": 0, "notified": "2026-08-20"}
    ]


def test_trip_known_a_month_ahead_uses_the_seven_day_rule():
    event = Event(EventType.TRAVEL, departure=D(2026, 8, 20), known_from=D(2026, 7, 20))
    result = deadlines(
        _travel_request(
            D(2026, 8, 25), event, N(NT.TRAVEL, D(2026, 8, 14), departure=D(2026, 8, 20))
        )
    ).as_json()
    entry = result["event_deadlines"][0]
    assert (entry["rule"], entry["due"], entry["status"]) == ("seven_days", "2026-08-13", "late")


def test_return_given_in_advance_needs_no_return_notification():
    event = Event(
        EventType.TRAVEL,
        departure=D(2026, 8, 20),
        known_from=D(2026, 7, 1),
        return_date=D(2026, 8, 27),
        planned_return=D(2026, 8, 27),
        return_notified_in_advance=True,
    )
    result = deadlines(
        _travel_request(
            D(2026, 9, 30), event, N(NT.TRAVEL, D(2026, 8, 1), departure=D(2026, 8, 20))
        )
    ).as_json()
    entry = result["event_deadlines"][0]
    assert (entry["return"], entry["return_due"], entry["return_status"]) == (
        "2026-08-27",
        None,
        "not_required",
    )
    assert result["overdue"] == []


def test_return_not_given_in_advance_is_due_within_three_days_of_return():
    event = Event(
        EventType.TRAVEL,
        departure=D(2026, 8, 20),
        known_from=D(2026, 7, 1),
        return_date=D(2026, 8, 27),
        return_notified_in_advance=False,
    )
    travel = N(NT.TRAVEL, D(2026, 8, 1), departure=D(2026, 8, 20))
    overdue = deadlines(_travel_request(D(2026, 8, 30), event, travel)).as_json()
    assert overdue["event_deadlines"][0]["return_due"] == "2026-08-29"
    assert overdue["overdue"] == [{"type": "return", "due": "2026-08-29", "event": 0}]
    met = deadlines(
        _travel_request(
            D(2026, 8, 30),
            event,
            travel,
            N(NT.RETURN, D(2026, 8, 29), departure=D(2026, 8, 20)),
        )
    ).as_json()
    assert met["event_deadlines"][0]["return_status"] == "met"
    assert met["overdue"] == []
    assert "travel_return_days" in [a["key"] for a in met["assumptions"]]


def test_return_on_another_day_than_notified_must_be_notified():
    event = Event(
        EventType.TRAVEL,
        departure=D(2026, 8, 20),
        known_from=D(2026, 7, 1),
        return_date=D(2026, 8, 29),
        planned_return=D(2026, 8, 27),
        return_notified_in_advance=True,
    )
    result = deadlines(
        _travel_request(D(2026, 9, 5), event, N(NT.TRAVEL, D(2026, 8, 1), departure=D(2026, 8, 20)))
    ).as_json()
    assert result["event_deadlines"][0]["return_due"] == "2026-08-31"
    assert result["overdue"] == [{"type": "return", "due": "2026-08-31", "event": 0}]
    assert any("not on 2026-08-27 as notified" in e for e in result["explanations"])


def test_return_notification_for_another_trip_does_not_count():
    result = deadlines(
        request(
            as_of=D(2026, 9, 30),
            notifications=(
                N(NT.INITIAL, D(2025, 3, 13)),
                N(NT.RETURN, D(2026, 9, 2), departure=D(2026, 8, 30)),
            ),
            events=(Event(EventType.RETURN, date=D(2026, 5, 2), departure=D(2026, 4, 20)),),
        )
    ).as_json()
    assert result["event_deadlines"][0]["status"] == "overdue"


@pytest.mark.parametrize(
    ("event", "section"),
    [
        (Event(EventType.CHANGE, date=D(2026, 4, 2), matter=Matter.HOME_ADDRESS), "s.84(1)(b)"),
        (Event(EventType.CHANGE, date=D(2026, 4, 2), matter=Matter.NAME), "s.84(1)(a)"),
        (Event(EventType.CHANGE, date=D(2026, 4, 2), matter=Matter.RELEASE), "s.84(1)(d)"),
        (Event(EventType.CHANGE, date=D(2026, 4, 2), matter=Matter.BANK_ACCOUNT), "Regs 2012"),
        (
            Event(EventType.STAY, stays=(DayRange(D(2026, 4, 1), D(2026, 4, 7)),)),
            "s.84(6)",
        ),
        (Event(EventType.TRAVEL, departure=D(2026, 8, 20)), "s.86"),
        (
            Event(EventType.TRAVEL_CHANGE, date=D(2026, 8, 1), departure=D(2026, 8, 20)),
            "Travel Regs",
        ),
        (Event(EventType.RETURN, date=D(2026, 4, 28)), "Travel Regs"),
    ],
)
def test_every_event_deadline_is_explained_with_its_section(event, section):
    result = deadlines(
        request(
            as_of=D(2026, 5, 1), notifications=(N(NT.INITIAL, D(2025, 3, 13)),), events=(event,)
        )
    ).as_json()
    assert any(section in e for e in result["explanations"])
    assert any("s.83(1)" in e for e in result["explanations"])
    assert any("s.85(1)" in e for e in result["explanations"])
