"""The CPS result, an offence or a caution cannot be dated after today: the
forms refuse it and so do the services, with ``DATE_IN_FUTURE`` naming the field, and
nothing is recorded (issue 11.8 leftover; ``comeforward law`` answers the same)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.decisions import services
from comeforward.decisions.forms import CautionForm, ProsecutionResultForm
from comeforward.decisions.models import ProsecutionReferral
from comeforward.law.errors import DateInFuture
from comeforward.roles import Role
from comeforward.ui.forms import install_text_cleaning

from .helpers import decision_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(make_user, police_force):
    officer = make_user(Role.INVESTIGATOR)
    return officer, ProsecutionReferral.objects.create(
        case=decision_case(police_force),
        offences=["CJA1988_S160"],
        evidence_summary="synthetic",
        reasons="synthetic",
        sent_to_cps_on=dt.date(2026, 1, 5),
        recorded_by=officer,
    )


def test_a_result_dated_tomorrow_is_refused_and_nothing_changes(referral):
    officer, file = referral
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = AuditEvent.objects.count()
    with pytest.raises(DateInFuture) as refusal:
        services.prosecution_result_record(
            actor=officer, referral=file, result="charged", result_date=tomorrow
        )
    assert refusal.value.code == "DATE_IN_FUTURE"
    assert refusal.value.details["field"] == "result_date"
    file.refresh_from_db()
    assert (file.result, file.result_date) == ("pending", None)
    assert AuditEvent.objects.count() == before


def test_a_result_dated_today_is_recorded(referral):
    officer, file = referral
    today = timezone.localdate()
    services.prosecution_result_record(
        actor=officer, referral=file, result="charged", result_date=today
    )
    file.refresh_from_db()
    assert (file.result, file.result_date) == ("charged", today)


def test_the_forms_refuse_future_offence_caution_and_result_dates():
    install_text_cleaning()  # what WebConfig.ready does
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    today = dt.date.today().isoformat()
    result = ProsecutionResultForm({"result": "charged", "result_date": tomorrow})
    assert not result.is_valid() and "result_date" in result.errors
    assert ProsecutionResultForm({"result": "charged", "result_date": today}).is_valid()
    caution = CautionForm({"offence_date": tomorrow, "caution_date": tomorrow})
    caution.is_valid()
    assert {"offence_date", "caution_date"} <= set(caution.errors)
    assert "must be today or in the past" in caution.errors["caution_date"][0]
