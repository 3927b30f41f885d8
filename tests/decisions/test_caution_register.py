"""Recording a caution opens the register record in the same transaction (decisions →
register), with the law-computed period and initial deadline; "cannot decide" is shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.models import CaseTask
from comeforward.cases.services import case_team_add
from comeforward.decisions import services
from comeforward.decisions.errors import CautionAlreadyRecorded, DateOfBirthMissing
from comeforward.decisions.selectors import caution_for_case
from comeforward.register import panel as register_panel
from comeforward.register import services as register_services
from comeforward.register.models import RegisterRecord
from comeforward.register.selectors import record_for_case
from comeforward.roles import Role

from ..cases.helpers import client_with_reason
from .helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db
D = dt.date
CAUTION_DAY = D(2026, 3, 2)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")
    monkeypatch.setattr(register_services, "_today", lambda: CAUTION_DAY)


@pytest.fixture
def diverted(make_user, police_force):
    def build(**case_fields):
        case = decision_case(police_force, **case_fields)
        a = make_user(Role.SUPERVISOR)
        b = make_user(Role.SUPERVISOR)
        services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
        decision = services.decision_record(
            actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
        )
        services.decision_approve(actor=b, decision=decision, approve=True)
        manager = make_user(Role.OFFENDER_MANAGER)
        case_team_add(actor=a, case=case, user=manager)
        return case, a, manager

    return build


def caution(case, actor, *, depicted: int | None = 12, kind="simple_caution", offence="PCA1978_S1"):
    return services.caution_record(
        actor=actor,
        case=case,
        kind=kind,
        offences=[offence],
        offence_date=D(2025, 6, 1),
        youngest_depicted_age=depicted,
        caution_date=CAUTION_DAY,
        conditions=[],
        requirements=S23_MET,
    )


def test_caution_opens_exactly_one_register_record_with_the_law_period(diverted):
    case, supervisor, manager = diverted()
    recorded = caution(case, supervisor)
    records = list(RegisterRecord.objects.filter(case=case))
    assert len(records) == 1
    record = records[0]
    assert (record.offence, record.offence_date, record.offender_dob) == (
        "PCA1978_S1",
        D(2025, 6, 1),
        D(1968, 1, 9),
    )
    assert (record.disposal_type, record.relevant_date, record.youngest_depicted_age) == (
        "simple_caution",
        CAUTION_DAY,
        12,
    )
    assert (record.period_text, record.last_day) == ("2 years", D(2028, 3, 1))
    assert (record.initial_due, record.next_due) == (D(2026, 3, 4), D(2026, 3, 4))
    assert record.owning_organisation_id == case.owning_organisation_id
    assert record.last_day == recorded.notification_last_day
    assert record.initial_due == recorded.initial_notification_due
    assert record_for_case(manager, case) == record
    scopes = list(
        AuditEvent.objects.filter(subject_type="case", subject_id=case.pk)
        .order_by("seq")
        .values_list("scope", flat=True)
    )
    assert scopes[-2:] == ["register.record", "decision.caution"]
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.details["register_record"] == record.pk
    assert last.details["notifiable"] is True


def test_recording_the_caution_again_is_refused_and_adds_no_record(diverted):
    case, supervisor, _ = diverted()
    caution(case, supervisor)
    with pytest.raises(CautionAlreadyRecorded):
        caution(case, supervisor)
    assert RegisterRecord.objects.filter(case=case).count() == 1


def test_a_record_entered_by_hand_before_the_caution_stands(diverted):
    case, supervisor, manager = diverted()
    earlier = register_services.register_open_for_caution(
        actor=manager,
        case=case,
        caution_date=D(2026, 3, 1),
        offence="CJA1988_S160",
        offence_date=D(2025, 1, 1),
        offender_dob=D(1968, 1, 9),
        youngest_depicted_age=10,
    )
    recorded = caution(case, supervisor)
    assert recorded.notifiable is True
    assert list(RegisterRecord.objects.filter(case=case)) == [earlier]
    assert AuditEvent.objects.order_by("-seq").first().details["register_record"] is None


def test_cannot_decide_opens_a_record_to_be_determined_with_a_task(diverted):
    """Issue 20.3: the youngest person depicted is not known — the register record is made
    "to be determined" (the deadlines that apply if notifiable: fail closed) with a task for
    a supervisor, instead of no record and re-keying later."""
    case, supervisor, manager = diverted()
    recorded = caution(case, supervisor, depicted=None)
    case.refresh_from_db()
    assert case.state == CaseState.CAUTIONED
    assert recorded.notifiable is None
    assert (recorded.law_result["offence"], recorded.law_result["missing"]) == (
        "PCA1978_S1",
        ["youngest_depicted_age"],
    )
    assert recorded.law_result["evaluation"]["notifiable"] is None
    assert recorded.law_result["evaluation"]["if_notifiable"]["period"]["years"] == 2
    record = RegisterRecord.objects.get(case=case)
    assert record.youngest_depicted_age is None
    assert record.period_text == "To be determined; if notifiable: 2 years"
    assert record.offence == "PCA1978_S1"
    assert record.relevant_date == CAUTION_DAY
    assert record.initial_due == D(2026, 3, 4)
    task = CaseTask.objects.get(case=case, kind="register_to_be_determined", done_at=None)
    assert task.assigned_role == Role.SUPERVISOR
    assert task.label == "Register record to be determined: record the youngest depicted age"
    request = RequestFactory().get("/")
    request.user = manager
    context = register_panel.panel_context(request, case)
    assert context["record"] == record


def test_not_notifiable_opens_no_record(diverted):
    case, supervisor, manager = diverted()
    recorded = caution(case, supervisor, depicted=17)
    assert recorded.notifiable is False
    assert not RegisterRecord.objects.filter(case=case).exists()
    request = RequestFactory().get("/")
    request.user = manager
    position = register_panel.panel_context(request, case)["caution"]
    assert (position["notifiable"], position["caution_date"]) == (False, recorded.caution_date)


def test_case_page_shows_the_record_to_be_determined(diverted, sign_in):
    case, supervisor, manager = diverted()
    caution(case, supervisor, depicted=None)
    response = client_with_reason(sign_in, manager, case).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "To be determined; if notifiable: 2 years" in page
    assert 'data-testid="register-to-be-determined"' in page


def test_no_date_of_birth_is_refused_before_anything_is_saved(diverted):
    case, supervisor, _ = diverted()
    case.person.date_of_birth = None
    case.person.save(update_fields=["date_of_birth"])
    with pytest.raises(DateOfBirthMissing) as caught:
        caution(case, supervisor)
    assert caught.value.code == "CAUTION_DATE_OF_BIRTH_MISSING"
    assert caution_for_case(supervisor, case) is None
    assert not RegisterRecord.objects.filter(case=case).exists()


def test_the_law_engine_runs_once_per_offence_for_a_caution(diverted, monkeypatch):
    """Issue 19.5: the caution's law result is stored with it (the whole answer) and the
    register record is opened from that same evaluation — ``law.evaluate`` is not run again."""
    from comeforward.law import evaluate as real_evaluate
    from comeforward.register import domain as register_domain

    calls = []

    def counting(facts, *args, **kwargs):
        calls.append(facts.offence)
        return real_evaluate(facts, *args, **kwargs)

    monkeypatch.setattr(services, "evaluate", counting)
    monkeypatch.setattr(register_domain, "evaluate", counting)
    case, supervisor, _ = diverted()
    recorded = caution(case, supervisor)
    assert calls == ["PCA1978_S1"]
    evaluation = recorded.law_result["evaluation"]
    record = RegisterRecord.objects.get(case=case)
    assert evaluation["notifiable"] is True
    assert evaluation["last_day"] == record.last_day.isoformat()
    assert evaluation["initial_notification_due"] == recorded.initial_notification_due.isoformat()
    assert recorded.notification_period == record.period_text == "2 years"


def test_a_second_caution_is_refused_inside_the_transaction(diverted):
    """Issue 19.4: the one-caution-per-case check runs under the case's row lock in the same
    transaction as the write; a second attempt changes nothing."""
    case, supervisor, _ = diverted()
    caution(case, supervisor)
    audits = AuditEvent.objects.count()
    with pytest.raises(CautionAlreadyRecorded):
        caution(case, supervisor)
    assert AuditEvent.objects.count() == audits
    assert RegisterRecord.objects.filter(case=case).count() == 1
