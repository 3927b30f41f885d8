"""The daily sweep of caution conditions: an "attend treatment by D" condition unmet after D
opens a breach review (domain-rules §4.8). The deadline day itself is not a breach."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.decisions import services as decision_services
from comeforward.roles import Role
from comeforward.treatment import domain, services
from comeforward.treatment.models import BreachReview

from ..decisions.helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db
D = dt.date
DEADLINE = D(2026, 7, 20)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    from comeforward.register import services as register_services

    case_extensions.keep_facts("decisions", "treatment")
    case_extensions.keep_policy_sources("Person record (age today)")
    monkeypatch.setattr(register_services, "_today", lambda: D(2026, 3, 2))


@pytest.fixture
def cautioned_with(make_user, police_force):
    """A case cautioned on 2 March 2026 with the given conditions (kind, deadline)."""

    def build(*conditions: tuple[str, dt.date | None]):
        case = decision_case(police_force)
        a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
        decision_services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
        decision = decision_services.decision_record(
            actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
        )
        decision_services.decision_approve(actor=b, decision=decision, approve=True)
        caution = decision_services.caution_record(
            actor=a,
            case=case,
            kind="conditional_caution",
            offences=["PCA1978_S1"],
            offence_date=D(2025, 6, 1),
            youngest_depicted_age=12,
            caution_date=D(2026, 3, 2),
            conditions=[
                {"kind": kind, "description": f"Condition {kind}", "deadline": deadline}
                for kind, deadline in conditions
            ],
            requirements=S23_MET,
        )
        case.refresh_from_db()
        return case, caution, a

    return build


@pytest.fixture
def provider(provider_org):
    return provider_org


def test_pure_rule_deadline_day_is_not_a_breach_the_day_after_is():
    kwargs = {"kind": "attend_treatment", "deadline": DEADLINE, "first_attended": None}
    assert domain.condition_breached(today=DEADLINE, completed_on=None, **kwargs) is False
    assert domain.condition_breached(today=D(2026, 7, 21), completed_on=None, **kwargs) is True
    assert domain.condition_breached(today=D(2026, 7, 21), completed_on=DEADLINE, **kwargs) is False
    assert (
        domain.condition_breached(
            kind="attend_treatment",
            deadline=DEADLINE,
            today=D(2026, 7, 21),
            first_attended=DEADLINE,
            completed_on=None,
        )
        is False
    )
    assert (
        domain.condition_breached(
            kind="attend_treatment",
            deadline=DEADLINE,
            today=D(2026, 7, 21),
            first_attended=D(2026, 7, 21),
            completed_on=None,
        )
        is True
    )
    assert (
        domain.condition_breached(
            kind="no_reoffending",
            deadline=DEADLINE,
            today=D(2027, 1, 1),
            first_attended=None,
            completed_on=None,
        )
        is False
    )
    assert domain.CONDITION_DEADLINE_RULE_NEEDS_LEGAL_SIGNOFF is True


def test_unmet_deadline_opens_one_review_from_the_day_after(cautioned_with):
    case, caution, _ = cautioned_with(("attend_treatment", DEADLINE), ("no_reoffending", DEADLINE))
    assert case.state == CaseState.CAUTIONED
    on_the_day = services.treatment_condition_sweep(today=DEADLINE)
    assert on_the_day == {"conditions_past_deadline": 0, "breach_reviews_opened": 0}
    assert not BreachReview.objects.filter(case=case).exists()

    day_after = services.treatment_condition_sweep(today=D(2026, 7, 21))
    assert day_after == {"conditions_past_deadline": 1, "breach_reviews_opened": 1}
    review = BreachReview.objects.get(case=case)
    condition = caution.conditions.get(kind="attend_treatment")
    assert (review.source, review.condition_id, review.opened_by_id, review.decision) == (
        "condition_deadline",
        condition.pk,
        None,
        "",
    )
    assert review.reason == (
        "Caution condition not met by 20 July 2026: Condition attend_treatment"
    )
    case.refresh_from_db()
    assert case.state == CaseState.BREACHED
    opened = AuditEvent.objects.get(scope="treatment.breach_review", subject_id=case.pk)
    assert (opened.operation, opened.details) == (
        "collect",
        {"source": "condition_deadline", "condition": condition.pk},
    )
    sweep = AuditEvent.objects.filter(scope="treatment.condition_sweep").order_by("-seq").first()
    assert sweep.details == {
        "today": "2026-07-21",
        "conditions_past_deadline": 1,
        "breach_reviews_opened": 1,
    }
    # Idempotent: the next day's sweep opens nothing (the case is no longer CAUTIONED).
    again = services.treatment_condition_sweep(today=D(2026, 7, 22))
    assert again == {"conditions_past_deadline": 0, "breach_reviews_opened": 0}
    assert BreachReview.objects.filter(case=case).count() == 1


def test_a_rejected_review_is_not_reopened_for_the_same_condition(cautioned_with, provider):
    case, _, supervisor = cautioned_with(("attend_treatment", DEADLINE))
    services.treatment_refer(
        actor=supervisor, case=case, provider=provider, programme="Inform Plus", expected_sessions=5
    )
    services.treatment_condition_sweep(today=D(2026, 7, 21))
    review = BreachReview.objects.get(case=case)
    services.breach_review_decide(
        actor=supervisor, review=review, confirmed=False, reason="Late start agreed"
    )
    case.refresh_from_db()
    assert case.state == CaseState.IN_TREATMENT
    again = services.treatment_condition_sweep(today=D(2026, 7, 22))
    assert again == {"conditions_past_deadline": 1, "breach_reviews_opened": 0}
    assert BreachReview.objects.filter(case=case).count() == 1


def test_attendance_on_the_deadline_day_meets_the_condition(cautioned_with, provider):
    case, _, supervisor = cautioned_with(("attend_treatment", DEADLINE))
    referral = services.treatment_refer(
        actor=supervisor, case=case, provider=provider, programme="Inform Plus", expected_sessions=5
    )
    services.treatment_session_record(
        actor=_provider(referral), referral=referral, date=DEADLINE, attendance="attended"
    )
    result = services.treatment_condition_sweep(today=D(2026, 7, 21))
    assert result == {"conditions_past_deadline": 1, "breach_reviews_opened": 0}
    assert not BreachReview.objects.filter(case=case).exists()


def test_attendance_only_after_the_deadline_is_a_breach(cautioned_with, provider):
    case, _, supervisor = cautioned_with(("attend_treatment", DEADLINE))
    referral = services.treatment_refer(
        actor=supervisor, case=case, provider=provider, programme="Inform Plus", expected_sessions=5
    )
    services.treatment_session_record(
        actor=_provider(referral), referral=referral, date=D(2026, 7, 21), attendance="attended"
    )
    services.treatment_session_record(
        actor=_provider(referral), referral=referral, date=D(2026, 7, 1), attendance="cancelled"
    )
    result = services.treatment_condition_sweep(today=D(2026, 7, 22))
    assert result == {"conditions_past_deadline": 1, "breach_reviews_opened": 1}
    case.refresh_from_db()
    assert case.state == CaseState.BREACHED


def test_a_case_with_an_open_review_is_left_alone(cautioned_with):
    case, _, supervisor = cautioned_with(("attend_treatment", DEADLINE))
    services.breach_review_open(
        actor=supervisor, case=case, source="manual", reason="Officer's concern"
    )
    result = services.treatment_condition_sweep(today=D(2026, 7, 21))
    assert result == {"conditions_past_deadline": 0, "breach_reviews_opened": 0}  # BREACHED
    assert BreachReview.objects.filter(case=case).count() == 1


def test_command_runs_now_or_queues_and_rejects_a_bad_date(cautioned_with):
    cautioned_with(("attend_treatment", DEADLINE))
    out = io.StringIO()
    call_command("treatment_condition_sweep", "--now", "--today", "2026-07-21", stdout=out)
    assert json.loads(out.getvalue()) == {
        "conditions_past_deadline": 1,
        "breach_reviews_opened": 1,
    }
    out = io.StringIO()
    call_command("treatment_condition_sweep", stdout=out)  # immediate backend in tests
    queued = json.loads(out.getvalue())
    assert queued["status"] == "SUCCESSFUL"
    assert queued["result"] == {"conditions_past_deadline": 0, "breach_reviews_opened": 0}
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("treatment_condition_sweep", "--now", "--today", "21/07/2026", stdout=out)
    assert exit_.value.code == 2
    assert json.loads(out.getvalue())["error"]["code"] == "TREATMENT_INVALID_SWEEP_DATE"


def _provider(referral):
    """A member of the provider the case is referred to (only they record sessions and notes:
    treatment/permissions.py)."""
    from comeforward.accounts.models import User

    found = User.objects.filter(
        organisation=referral.provider, role=Role.TREATMENT_PROVIDER
    ).first()
    if found is not None:
        return found
    from ..factories import UserFactory

    return UserFactory(role=Role.TREATMENT_PROVIDER, organisation=referral.provider)
