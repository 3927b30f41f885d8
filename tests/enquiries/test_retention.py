"""Dormant enquiries are erased on a schedule; the erasure is audited without the content
(users-and-security §3.2 req. 8)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from comeforward.audit.models import AuditEvent
from comeforward.enquiries import services
from comeforward.enquiries.errors import InvalidRetention
from comeforward.enquiries.models import Enquiry, EnquiryMessage, EnquiryTag
from comeforward.enquiries.tasks import enquiries_purge_dormant_task
from comeforward.roles import Role

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def _last_active(enquiry, days_ago: int, today: dt.date = TODAY):
    Enquiry.objects.filter(pk=enquiry.pk).update(
        last_activity_on=today - dt.timedelta(days=days_ago)
    )


def test_purge_erases_only_enquiries_dormant_for_the_retention_period(opened, make_user):
    officer = make_user(Role.INTAKE_OFFICER)
    dormant, boundary, recent, converted = (opened(f"msg {i}") for i in range(4))
    services.enquiry_tags_set(actor=officer, enquiry=dormant.enquiry, tags=["x"])
    services.enquiry_convert(
        actor=officer,
        presented_reference=converted.reference,
        given_names="A",
        family_name="B",
        date_of_birth=None,
        consent=True,
    )
    _last_active(dormant.enquiry, 181)
    _last_active(boundary.enquiry, 180)  # exactly 180 days: kept until tomorrow
    _last_active(recent.enquiry, 3)
    _last_active(converted.enquiry, 400)  # belongs to a case now
    erased = services.enquiries_purge_dormant(today=TODAY, retention_days=180)
    assert erased == [dormant.enquiry.designation]
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {
        boundary.enquiry.pk,
        recent.enquiry.pk,
        converted.enquiry.pk,
    }
    assert EnquiryMessage.objects.filter(enquiry_id=dormant.enquiry.pk).count() == 0
    assert EnquiryTag.objects.get(name="x").enquiries.count() == 0
    event = AuditEvent.objects.get(operation="erase")
    assert event.actor_id is None
    assert (event.subject_type, event.subject_id, event.subject_ref) == (
        "enquiry",
        str(dormant.enquiry.pk),
        dormant.enquiry.designation,
    )
    assert event.details == {"reason": "dormant", "retention_days": 180, "messages": 1}
    assert "msg" not in json.dumps(event.details) + event.justification


def test_purge_takes_combined_enquiries_with_it(opened, make_user):
    officer = make_user(Role.INTAKE_OFFICER)
    lost, current = opened(), opened()
    services.enquiry_merge(
        actor=officer, source=lost.enquiry, target=current.enquiry, justification="same"
    )
    _last_active(current.enquiry, 200)
    erased = services.enquiries_purge_dormant(today=TODAY, retention_days=180)
    assert erased == [lost.enquiry.designation, current.enquiry.designation]
    assert Enquiry.objects.count() == 0
    assert AuditEvent.objects.filter(operation="erase").count() == 2


def test_retention_comes_from_settings(opened, settings):
    settings.ENQUIRY_RETENTION_DAYS = 30
    first = opened()
    _last_active(first.enquiry, 31, timezone.localdate())
    assert services.enquiries_purge_dormant() == [first.enquiry.designation]


@pytest.mark.parametrize("days", [0, -5])
def test_invalid_retention_is_refused(days):
    with pytest.raises(InvalidRetention):
        services.enquiries_purge_dormant(retention_days=days)


def test_task_runs_the_purge(opened):
    first = opened()
    _last_active(first.enquiry, 500, timezone.localdate())
    result = enquiries_purge_dormant_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"erased": 1}


def test_management_command_queues_the_task(opened, capsys):
    first = opened()
    _last_active(first.enquiry, 500, timezone.localdate())
    call_command("enquiries_purge")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "SUCCESSFUL"  # immediate backend in tests
    assert out["result"] == {"erased": 1}
    assert Enquiry.objects.count() == 0


def test_management_command_now_and_errors(opened, capsys):
    first = opened()
    _last_active(first.enquiry, 40, timezone.localdate())
    call_command("enquiries_purge", "--now", "--retention-days", "30")
    assert json.loads(capsys.readouterr().out) == {"erased": 1}
    with pytest.raises(SystemExit) as exited:
        call_command("enquiries_purge", "--retention-days", "0")
    assert exited.value.code == 2
    error = json.loads(capsys.readouterr().out)
    assert error["error"]["code"] == "ENQUIRY_INVALID_RETENTION"
    assert error["error"]["details"] == {"retention_days": 0}
