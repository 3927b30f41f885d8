"""Issue 13: disregarded periods, complete travel, structured particulars, every breach, the
end of the period, the s.91A-91F review and risk management, through the register services.
Each stored date is law's (domain-rules §1); each write leaves its audit record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from comeforward.audit.models import AuditEvent
from comeforward.register import services
from comeforward.register.errors import (
    BreachAlreadyOpen,
    InvalidNotification,
    InvalidReviewStep,
    NotOverdue,
    RecordEnded,
)
from comeforward.register.models import Particular, Reminder
from comeforward.roles import Role

from .conftest import open_record

pytestmark = pytest.mark.django_db
D = dt.date


def last_audit(scope: str) -> AuditEvent:
    return AuditEvent.objects.filter(scope=scope).order_by("-seq").first()


# --- 13.3 disregarded periods ---------------------------------------------------------------


def test_custody_period_moves_the_initial_deadline_by_its_whole_days(case, fixed_today):
    fixed_today(D(2025, 3, 11))
    record = open_record(case, D(2025, 3, 1))
    assert record.initial_due == D(2025, 3, 3)
    services.register_period_record(
        actor=None, record=record, reason="custody", began_on=D(2025, 3, 1), ended_on=D(2025, 3, 10)
    )
    record.refresh_from_db()
    # 1 March counts (day 1), 2-9 March are whole days in custody, 10 and 11 March count.
    assert record.initial_due == D(2025, 3, 11)
    event = last_audit("register.disregarded_period")
    assert (event.operation, event.details["reason"], event.details["began_on"]) == (
        "collect",
        "custody",
        "2025-03-01",
    )
    position = services.record_law_position(record, D(2025, 3, 11))
    assert any(
        "s.83(1), (6)" in e and "8 disregarded days" in e for e in position.trace.explanations
    )


def test_ongoing_hospital_detention_counts_up_to_today_only(case, fixed_today):
    fixed_today(D(2025, 3, 5))
    record = open_record(case, D(2025, 3, 1))
    period = services.register_period_record(
        actor=None, record=record, reason="hospital", began_on=D(2025, 3, 1)
    )
    record.refresh_from_db()
    assert record.initial_due == D(2025, 3, 7)  # 2-5 March disregarded; 6 and 7 count
    fixed_today(D(2025, 3, 9))
    services.register_period_end(actor=None, period=period, ended_on=D(2025, 3, 8))
    record.refresh_from_db()
    assert record.initial_due == D(2025, 3, 9)  # 2-7 March disregarded; 8 and 9 count


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"reason": "holiday"}, "reason"),
        ({"ended_on": D(2025, 2, 1)}, "ended_on"),
        ({"began_on": D(2025, 4, 1)}, "began_on"),
    ],
)
def test_invalid_periods_are_refused_and_nothing_is_stored(case, fixed_today, fields, bad):
    fixed_today(D(2025, 3, 5))
    record = open_record(case, D(2025, 3, 1))
    with pytest.raises(InvalidNotification) as refusal:
        services.register_period_record(
            actor=None, record=record, **{"reason": "custody", "began_on": D(2025, 3, 2), **fields}
        )
    assert bad in refusal.value.details["fields"]
    assert record.disregarded_periods.count() == 0


# --- 13.2 travel ----------------------------------------------------------------------------


def _initial(record, day):
    services.register_notification_record(actor=None, record=record, kind="initial", date=day)


def test_trip_booked_late_and_notified_within_twelve_hours_is_not_late(case, fixed_today):
    fixed_today(D(2025, 6, 20))
    record = open_record(case, D(2025, 3, 1))
    _initial(record, D(2025, 3, 2))
    services.register_trip_record(
        actor=None,
        record=record,
        departure=D(2025, 6, 20),
        destinations="France",
        known_on=D(2025, 6, 17),
        notified_on=D(2025, 6, 18),
        planned_return=D(2025, 6, 25),
        return_point="Dover",
        carrier="Ferry",
        police_station="Central",
    )
    record.refresh_from_db()
    assert (record.late_count, record.overdue_count) == (0, 0)
    entry = services.record_law_position(record, D(2025, 6, 20)).event_deadlines[0]
    assert (entry["rule"], entry["due"], entry["status"]) == ("twelve_hours", "2025-06-19", "met")
    assert last_audit("register.trip").details["known_on"] == "2025-06-17"
    notification = record.notifications.get(kind="travel")
    assert (notification.police_station, notification.departure) == ("Central", D(2025, 6, 20))


def test_trip_known_weeks_ahead_but_notified_late_opens_a_breach_review(
    case, fixed_today, make_user
):
    fixed_today(D(2025, 6, 20))
    manager = make_user(Role.OFFENDER_MANAGER)
    record = open_record(case, D(2025, 3, 1))
    _initial(record, D(2025, 3, 2))
    services.register_trip_record(
        actor=manager,
        record=record,
        departure=D(2025, 6, 20),
        destinations="Spain",
        known_on=D(2025, 5, 1),
        notified_on=D(2025, 6, 18),
    )
    record.refresh_from_db()
    assert record.late_count == 1
    breach = services.register_breach_open(
        actor=manager,
        record=record,
        kind="travel",
        event_ref="travel 2025-06-20",
        evidence="Booking confirmation dated 1 May",
    )
    assert (breach.due, breach.notified_late_on) == (D(2025, 6, 13), D(2025, 6, 18))
    assert breach.evidence == "Booking confirmation dated 1 May"
    with pytest.raises(BreachAlreadyOpen):
        services.register_breach_open(
            actor=manager, record=record, kind="travel", event_ref="travel 2025-06-20"
        )
    services.register_breach_outcome(actor=manager, breach=breach, outcome="warning", notes="Told")
    breach.refresh_from_db()
    assert (breach.outcome, breach.outcome_by_id) == ("warning", manager.pk)
    assert last_audit("register.breach_outcome").details["outcome"] == "warning"
    with pytest.raises(InvalidNotification):
        services.register_breach_outcome(actor=manager, breach=breach, outcome="charged")


def test_no_breach_review_for_a_notice_law_does_not_show_as_late(case, fixed_today):
    fixed_today(D(2025, 6, 20))
    record = open_record(case, D(2025, 3, 1))
    _initial(record, D(2025, 3, 2))
    with pytest.raises(NotOverdue):
        services.register_breach_open(
            actor=None, record=record, kind="travel", event_ref="travel 2025-06-20"
        )


def test_return_not_notified_in_advance_is_overdue_three_days_after_return(case, fixed_today):
    fixed_today(D(2025, 6, 30))
    record = open_record(case, D(2025, 3, 1))
    _initial(record, D(2025, 3, 2))
    trip = services.register_trip_record(
        actor=None,
        record=record,
        departure=D(2025, 6, 20),
        destinations="Ireland",
        known_on=D(2025, 5, 1),
        notified_on=D(2025, 5, 2),
    )
    assert trip.return_details_given is False  # no return date or point given
    services.register_trip_return_record(actor=None, trip=trip, returned_on=D(2025, 6, 26))
    record.refresh_from_db()
    assert record.overdue_count == 1
    assert record.event_due == D(2025, 6, 28)
    services.register_trip_return_record(
        actor=None, trip=trip, returned_on=D(2025, 6, 26), notified_on=D(2025, 6, 29)
    )
    record.refresh_from_db()
    assert (record.overdue_count, record.late_count) == (0, 1)
    event = last_audit("register.trip_return")
    assert (event.operation, event.details["returned_on"], event.details["notified_on"]) == (
        "collect",
        "2025-06-26",
        "2025-06-29",
    )
    assert record.notifications.get(kind="return").departure == D(2025, 6, 20)


def test_whole_days_abroad_extend_a_periodic_deadline(case, fixed_today):
    fixed_today(D(2026, 3, 10))
    record = open_record(case, D(2025, 3, 1))
    _initial(record, D(2025, 3, 2))
    record.refresh_from_db()
    assert record.next_periodic_due == D(2026, 3, 2)
    trip = services.register_trip_record(
        actor=None,
        record=record,
        departure=D(2026, 2, 25),
        destinations="Portugal",
        known_on=D(2026, 1, 1),
        notified_on=D(2026, 1, 5),
        planned_return=D(2026, 3, 6),
        return_point="Gatwick",
    )
    record.refresh_from_db()
    assert record.next_periodic_due == D(2026, 3, 2)  # the planned return proves nothing yet
    services.register_trip_return_record(actor=None, trip=trip, returned_on=D(2026, 3, 6))
    record.refresh_from_db()
    # abroad for the whole of 26 Feb - 5 Mar: s.85(3)-(4), 3 days beginning with 6 March
    assert record.next_periodic_due == D(2026, 3, 8)


# --- 13.1 structured particulars ------------------------------------------------------------


def test_particulars_keep_their_history_and_bank_numbers_are_masked_and_encrypted(
    case, fixed_today, make_user
):
    fixed_today(D(2025, 5, 10))
    manager = make_user(Role.OFFENDER_MANAGER)
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=manager,
        record=record,
        kind="initial",
        date=D(2025, 3, 2),
        police_station="Central police station",
        particulars=[
            {"kind": "home_address", "value": "1 Old Road, Testtown"},
            {"kind": "bank_account", "value": "12345678", "detail": "Test Bank, 12-34-56"},
        ],
    )
    services.register_notification_record(
        actor=manager,
        record=record,
        kind="change",
        date=D(2025, 5, 3),
        changed_on=D(2025, 5, 1),
        particulars=[{"kind": "home_address", "value": "2 New Road, Testtown"}],
    )
    addresses = list(record.particulars.filter(kind="home_address").order_by("pk"))
    assert [(p.value, p.ended_on) for p in addresses] == [
        ("1 Old Road, Testtown", D(2025, 5, 1)),
        ("2 New Road, Testtown", None),
    ]
    change = record.notifications.get(kind="change")
    assert change.matters == ["home_address"]
    assert addresses[0].ended_by_id == change.pk
    assert change.received_by_name == manager.full_name
    account = record.particulars.get(kind="bank_account")
    assert account.masked == "••••5678"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value FROM {Particular._meta.db_table} WHERE id = %s",  # noqa: S608
            [account.pk],
        )
        raw = cursor.fetchone()[0]
    assert "12345678" not in raw
    event = last_audit("register.notification")
    assert event.details["particulars_added"] == ["home_address"]
    assert event.details["particulars_ended"] == [addresses[0].pk]
    record.refresh_from_db()
    assert record.next_periodic_due == D(2026, 5, 3)  # a s.84(1)(b) change restarts the year


def test_ending_a_particular_of_another_record_is_refused(case, fixed_today, police_force):
    from .conftest import cautioned_case

    fixed_today(D(2025, 5, 10))
    other = open_record(cautioned_case(police_force), D(2025, 3, 1))
    services.register_notification_record(
        actor=None,
        record=other,
        kind="initial",
        date=D(2025, 3, 2),
        particulars=[{"kind": "card", "value": "4111 1111 1111 1111"}],
    )
    record = open_record(case, D(2025, 3, 1))
    card = other.particulars.get()
    with pytest.raises(InvalidNotification):
        services.register_notification_record(
            actor=None,
            record=record,
            kind="bank_passport",
            date=D(2025, 5, 2),
            changed_on=D(2025, 5, 1),
            matters=["card"],
            ends=[card.pk],
        )
    assert record.notifications.count() == 0
    assert card.ended_on is None


# --- 13.4 late changes ----------------------------------------------------------------------


def test_a_change_notified_late_is_counted_and_can_be_reviewed(case, fixed_today):
    fixed_today(D(2025, 5, 20))
    record = open_record(case, D(2025, 3, 1))
    _initial(record, D(2025, 3, 2))
    services.register_notification_record(
        actor=None,
        record=record,
        kind="change",
        date=D(2025, 5, 10),
        changed_on=D(2025, 5, 1),
        matters=["home_address"],
    )
    record.refresh_from_db()
    assert record.late_count == 1
    breach = services.register_breach_open(
        actor=None, record=record, kind="change", event_ref="change home_address 2025-05-01"
    )
    assert (breach.due, breach.notified_late_on) == (D(2025, 5, 3), D(2025, 5, 10))


# --- 13.5 the end of the period and the review ----------------------------------------------


def test_sweep_ends_a_fixed_period_after_its_last_day_with_an_audit_record(case, fixed_today):
    fixed_today(D(2027, 2, 28))
    record = open_record(case, D(2025, 3, 1))  # last day 28 February 2027
    services.register_sweep(today=D(2027, 2, 28))
    record.refresh_from_db()
    assert (record.active, record.ended_on) == (True, None)  # still subject on the last day
    result = services.register_sweep(today=D(2027, 3, 1))
    assert result["records_ended"] == 1
    record.refresh_from_db()
    assert (record.active, record.ended_on, record.next_due) == (False, D(2027, 2, 28), None)
    assert not Reminder.objects.filter(record=record, resolved_at__isnull=True).exists()
    event = last_audit("register.ended")
    assert (event.subject_id, event.details["ended_on"]) == (str(case.pk), "2027-02-28")
    services.register_sweep(today=D(2027, 3, 20))
    assert not Reminder.objects.filter(record=record, resolved_at__isnull=True).exists()
    assert AuditEvent.objects.filter(scope="register.ended").count() == 1
    with pytest.raises(RecordEnded):
        services.register_notification_record(
            actor=None, record=record, kind="periodic", date=D(2027, 2, 27)
        )


def _indefinite(record, today):
    record.last_day = None
    record.period_text = "Indefinite"
    services._recompute(record, today)
    record.refresh_from_db()
    return record


def test_indefinite_requirements_get_a_review_task_with_its_workflow(case, fixed_today):
    fixed_today(D(2040, 3, 5))
    record = _indefinite(open_record(case, D(2025, 3, 1)), D(2025, 3, 5))
    task = record.review_task
    assert (task.eligible_from, task.status) == (D(2040, 3, 1), "not_yet")
    assert services.register_sweep(today=D(2040, 3, 1))["reviews_eligible"] == 1
    with pytest.raises(InvalidReviewStep):
        services.register_review_step(
            actor=None, record=record, step="discharged", on=D(2040, 3, 2)
        )
    task = services.register_review_step(
        actor=None, record=record, step="applied", on=D(2040, 3, 2)
    )
    assert task.determine_by == D(2040, 5, 25)
    task = services.register_review_step(
        actor=None, record=record, step="continued", on=D(2040, 3, 5)
    )
    assert task.further_review_from == D(2048, 3, 5)  # s.91B(3): 8 years
    with pytest.raises(InvalidReviewStep):
        services.register_review_step(actor=None, record=record, step="applied", on=D(2040, 3, 5))
    assert last_audit("register.review").details["step"] == "continued"


def test_a_discharge_on_review_ends_the_record(case, fixed_today):
    fixed_today(D(2040, 4, 1))
    record = _indefinite(open_record(case, D(2025, 3, 1)), D(2040, 4, 1))
    services.register_review_step(actor=None, record=record, step="applied", on=D(2040, 3, 2))
    services.register_review_step(actor=None, record=record, step="discharged", on=D(2040, 4, 1))
    record.refresh_from_db()
    assert (record.active, record.ended_on) == (False, D(2040, 4, 1))


# --- 13.6 risk management -------------------------------------------------------------------


def test_arms_level_sets_the_visit_schedule_and_visits_record_outcome(case, fixed_today, make_user):
    fixed_today(D(2025, 4, 10))
    record = open_record(case, D(2025, 3, 1))
    services.register_arms_record(
        actor=None, record=record, assessed_on=D(2025, 4, 1), next_due=D(2026, 4, 1), level="high"
    )
    record.refresh_from_db()
    assert (record.arms_level, record.home_visit_due) == ("high", D(2025, 7, 1))
    visit = services.register_home_visit_record(
        actor=None,
        record=record,
        date=D(2025, 4, 9),
        next_due=None,
        announced=False,
        outcome="not_home",
    )
    assert (visit.next_due, visit.announced, visit.outcome) == (D(2025, 7, 9), False, "not_home")
    assert last_audit("register.home_visit").details["announced"] is False
    manager = make_user(Role.OFFENDER_MANAGER)
    services.register_management_update(
        actor=None,
        record=record,
        manager=manager,
        area="North",
        mappa_category="1",
        mappa_level="2",
    )
    record.refresh_from_db()
    assert (record.manager_id, record.area, record.mappa_category, record.mappa_level) == (
        manager.pk,
        "North",
        "1",
        "2",
    )
    event = last_audit("register.management")
    assert (event.operation, event.details["mappa_level"], event.details["manager"]) == (
        "alter",
        "2",
        manager.pk,
    )
    with pytest.raises(InvalidNotification):
        services.register_management_update(actor=None, record=record, mappa_level="9")
