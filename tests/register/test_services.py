"""Register services: each writes its audit record; stored due dates equal ``law``'s."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from comeforward.audit.models import AuditEvent
from comeforward.law import DeadlinesRequest, Notification, NotificationType, deadlines
from comeforward.register import services
from comeforward.register.domain import RecordFacts
from comeforward.register.errors import (
    BreachAlreadyOpen,
    InvalidHorizon,
    InvalidNotification,
    NotNotifiable,
    NotOverdue,
    RegisterRecordExists,
)
from comeforward.register.models import Reminder
from comeforward.roles import Role

from .conftest import open_record

pytestmark = pytest.mark.django_db
D = dt.date


def last_audit(scope: str) -> AuditEvent:
    return AuditEvent.objects.filter(scope=scope).order_by("-seq").first()


def test_opening_for_a_caution_uses_law(case, make_user, fixed_today):
    fixed_today(D(2025, 3, 2))
    manager = make_user(Role.OFFENDER_MANAGER)
    record = open_record(case, D(2025, 3, 1), actor=manager)
    assert record.period_text == "2 years"
    assert record.last_day == D(2027, 2, 28)
    assert record.initial_due == D(2025, 3, 3)
    assert record.next_periodic_due is None
    assert record.next_due == D(2025, 3, 3)
    assert record.active is True
    event = last_audit("register.record")
    assert (event.operation, event.subject_type, event.subject_id, event.actor_id) == (
        "collect",
        "case",
        str(case.pk),
        manager.pk,
    )
    assert event.details["last_day"] == "2027-02-28"


def test_a_second_record_for_the_case_is_refused(case, fixed_today):
    fixed_today(D(2025, 3, 2))
    open_record(case, D(2025, 3, 1))
    with pytest.raises(RegisterRecordExists):
        open_record(case, D(2025, 3, 1))


def test_not_notifiable_when_the_images_are_of_16_or_17_year_olds(case):
    facts = RecordFacts(
        offence="CJA1988_S160",
        offence_date=D(2024, 1, 10),
        offender_dob=D(1980, 5, 1),
        youngest_depicted_age=16,
        disposal_type="simple_caution",
        relevant_date=D(2025, 3, 1),
    )
    with pytest.raises(NotNotifiable) as refusal:
        services.register_open(actor=None, case=case, facts=facts)
    assert refusal.value.code == "REGISTER_NOT_NOTIFIABLE"
    assert not AuditEvent.objects.filter(scope="register.record").exists()


def test_initial_notification_moves_on_to_the_periodic_date_computed_by_law(case, fixed_today):
    fixed_today(D(2025, 3, 2))
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=None, record=record, kind="initial", date=D(2025, 3, 2), details="Address given"
    )
    record.refresh_from_db()
    expected = deadlines(
        DeadlinesRequest(
            relevant_date=D(2025, 3, 1),
            last_day=D(2027, 2, 28),
            as_of=D(2025, 3, 2),
            notifications=(Notification(NotificationType.INITIAL, D(2025, 3, 2)),),
            under_18_on_relevant_date=False,
        )
    )
    assert record.initial_due is None
    assert record.next_periodic_due == expected.next_periodic_due == D(2026, 3, 2)
    assert record.next_due == D(2026, 3, 2)
    event = last_audit("register.notification")
    assert event.operation == "collect"
    assert event.details["kind"] == "initial"
    assert "Address" not in json.dumps(event.details)  # no content in the log
    assert record.notifications.get().details == "Address given"


def test_a_change_of_name_restarts_the_year_but_bank_details_do_not(case, fixed_today):
    fixed_today(D(2025, 6, 1))
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=None, record=record, kind="initial", date=D(2025, 3, 2)
    )
    services.register_notification_record(
        actor=None,
        record=record,
        kind="bank_passport",
        date=D(2025, 4, 2),
        matters=["bank_account"],
        changed_on=D(2025, 4, 1),
    )
    record.refresh_from_db()
    assert record.next_periodic_due == D(2026, 3, 2)
    services.register_notification_record(
        actor=None,
        record=record,
        kind="change",
        date=D(2025, 5, 3),
        matters=["name"],
        changed_on=D(2025, 5, 1),
    )
    record.refresh_from_db()
    assert record.next_periodic_due == D(2026, 5, 3)


def test_weekly_notifications_for_no_fixed_abode(case, fixed_today):
    fixed_today(D(2025, 3, 9))
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=None, record=record, kind="initial", date=D(2025, 3, 2)
    )
    services.register_notification_record(
        actor=None, record=record, kind="weekly", date=D(2025, 3, 9)
    )
    record.refresh_from_db()
    assert record.no_fixed_abode is True
    assert record.next_periodic_due == D(2025, 3, 16)


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"kind": "change", "matters": []}, "matters"),
        ({"kind": "change", "matters": ["passport"], "changed_on": D(2025, 3, 3)}, "matters"),
        ({"kind": "change", "matters": ["name"]}, "changed_on"),
        ({"kind": "travel"}, "departure"),
        ({"kind": "periodic", "date": D(2025, 3, 20)}, "date"),
        ({"kind": "periodic", "date": D(2025, 2, 1)}, "date"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_invalid_notifications_are_refused_with_the_field(case, fixed_today, fields, bad):
    fixed_today(D(2025, 3, 10))
    record = open_record(case, D(2025, 3, 1))
    with pytest.raises(InvalidNotification) as refusal:
        services.register_notification_record(
            actor=None, record=record, **{"date": D(2025, 3, 5), **fields}
        )
    assert bad in refusal.value.details["fields"]
    assert record.notifications.count() == 0


def test_a_second_initial_notification_is_refused(case, fixed_today):
    fixed_today(D(2025, 3, 10))
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=None, record=record, kind="initial", date=D(2025, 3, 2)
    )
    with pytest.raises(InvalidNotification):
        services.register_notification_record(
            actor=None, record=record, kind="initial", date=D(2025, 3, 3)
        )


def test_home_visit_and_arms_dates(case, fixed_today):
    fixed_today(D(2025, 3, 10))
    record = open_record(case, D(2025, 3, 1))
    services.register_home_visit_record(
        actor=None, record=record, date=D(2025, 3, 9), next_due=D(2025, 6, 9), notes="Seen"
    )
    assert last_audit("register.home_visit").details["date"] == "2025-03-09"
    services.register_arms_record(
        actor=None, record=record, assessed_on=D(2025, 3, 8), next_due=D(2026, 3, 8)
    )
    assert last_audit("register.arms").details["next_due"] == "2026-03-08"
    record.refresh_from_db()
    assert (record.home_visit_due, record.arms_due) == (D(2025, 6, 9), D(2026, 3, 8))
    with pytest.raises(InvalidNotification):
        services.register_arms_record(
            actor=None, record=record, assessed_on=D(2025, 3, 8), next_due=D(2025, 3, 8)
        )


def test_breach_only_for_an_overdue_deadline_and_only_once(case, fixed_today, make_user):
    fixed_today(D(2025, 3, 2))
    record = open_record(case, D(2025, 3, 1))
    with pytest.raises(NotOverdue):
        services.register_breach_open(actor=None, record=record, kind="initial")
    fixed_today(D(2025, 3, 4))  # initial was due by 3 March
    manager = make_user(Role.OFFENDER_MANAGER)
    breach = services.register_breach_open(
        actor=manager, record=record, kind="initial", notes="Did not attend"
    )
    assert (breach.kind, breach.due, breach.record.case_id) == ("initial", D(2025, 3, 3), case.pk)
    event = last_audit("register.breach")
    assert (event.operation, event.subject_id, event.details["due"]) == (
        "collect",
        str(case.pk),
        "2025-03-03",
    )
    with pytest.raises(BreachAlreadyOpen):
        services.register_breach_open(actor=manager, record=record, kind="initial")
    with pytest.raises(NotOverdue):
        services.register_breach_open(actor=manager, record=record, kind="arms")


def test_sweep_is_idempotent_and_marks_overdue(police_force, fixed_today):
    from .conftest import cautioned_case

    fixed_today(D(2025, 3, 1))
    soon = open_record(cautioned_case(police_force), D(2025, 3, 1))  # initial due 3 March
    late = open_record(cautioned_case(police_force), D(2025, 2, 1))  # initial due 3 Feb
    later = open_record(cautioned_case(police_force), D(2025, 3, 1))
    services.register_notification_record(
        actor=None, record=later, kind="initial", date=D(2025, 3, 1)
    )  # next periodic 1 March 2026: outside the horizon
    first = services.register_sweep(today=D(2025, 3, 1), horizon_days=14)
    assert first == {
        "due_or_overdue": 2,
        "reminders_created": 2,
        "records_ended": 0,
        "reviews_eligible": 0,
    }
    assert sorted(Reminder.objects.values_list("record_id", "kind", "due", "overdue")) == sorted(
        [
            (soon.pk, "initial", D(2025, 3, 3), False),
            (late.pk, "initial", D(2025, 2, 3), True),
        ]
    )
    again = services.register_sweep(today=D(2025, 3, 1), horizon_days=14)
    assert again == {
        "due_or_overdue": 2,
        "reminders_created": 0,
        "records_ended": 0,
        "reviews_eligible": 0,
    }
    assert Reminder.objects.count() == 2
    # A week later the 3 March deadline has passed: an overdue reminder joins the due one.
    services.register_sweep(today=D(2025, 3, 8), horizon_days=14)
    assert Reminder.objects.filter(record=soon, overdue=True).count() == 1
    event = last_audit("register.sweep")
    assert event.operation == "alter"
    assert event.details["reminders_created"] == 1


def test_recording_the_notification_resolves_its_reminders(case, fixed_today):
    fixed_today(D(2025, 3, 1))
    record = open_record(case, D(2025, 3, 1))
    services.register_sweep(today=D(2025, 3, 1))
    services.register_notification_record(
        actor=None, record=record, kind="initial", date=D(2025, 3, 1)
    )
    assert Reminder.objects.get(record=record).resolved_at is not None


def test_sweep_refuses_a_silly_horizon():
    with pytest.raises(InvalidHorizon):
        services.register_sweep(horizon_days=-1)


def test_command_runs_now_or_queues(case, fixed_today):
    fixed_today(D(2025, 3, 1))
    open_record(case, D(2025, 3, 1))
    out = io.StringIO()
    call_command("register_sweep", "--now", stdout=out)
    assert json.loads(out.getvalue()) == {
        "due_or_overdue": 1,
        "reminders_created": 1,
        "records_ended": 0,
        "reviews_eligible": 0,
    }
    out = io.StringIO()
    call_command("register_sweep", stdout=out)  # immediate backend in tests
    queued = json.loads(out.getvalue())
    assert queued["status"] == "SUCCESSFUL"
    assert queued["result"] == {
        "due_or_overdue": 1,
        "reminders_created": 0,
        "records_ended": 0,
        "reviews_eligible": 0,
    }


def test_command_error_is_json_and_exit_2():
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("register_sweep", "--horizon-days", "999", stdout=out)
    assert exit_.value.code == 2
    assert json.loads(out.getvalue())["error"]["code"] == "REGISTER_INVALID_HORIZON"
