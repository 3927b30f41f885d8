"""Recommendation → decision → approval → caution / prosecution → outcome code."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.facts import case_facts
from comeforward.decisions import services
from comeforward.decisions.errors import (
    ApprovalNotAllowed,
    CautionAlreadyRecorded,
    CautionNotAllowed,
    DecisionAlreadyMade,
    DecisionNotAllowed,
    InvalidConditions,
    RecommendationMissing,
    SameSupervisor,
    UnknownOutcomeCode,
)
from comeforward.decisions.selectors import caution_for_case
from comeforward.roles import Role

from .helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")


@pytest.fixture
def world(make_user, police_force):
    return {
        "a": make_user(Role.SUPERVISOR, full_name="Supervisor A"),
        "b": make_user(Role.SUPERVISOR, full_name="Supervisor B"),
        "officer": make_user(Role.INVESTIGATOR, full_name="Officer O"),
        "case": decision_case(police_force),
    }


def last_audit():
    return AuditEvent.objects.order_by("-seq").first()


def test_recommendation_stores_policy_version_rules_and_fact_sources(world):
    rec = services.recommendation_create(
        actor=world["a"], case=world["case"], confirmed=ELIGIBLE_CONFIRMED
    )
    assert rec.outcome == "divert"
    assert rec.policy_version == "default-2026.1"
    assert rec.fired == [] and rec.unknown == []
    assert rec.fact_sources["age_at_caution"] == [
        {"source": "Person record (age today)", "value": 58, "decisive": True}
    ]
    assert rec.fact_sources["offences"] == [
        {"source": "Confirmed by the supervisor", "value": ["PCA1978_S1"], "decisive": True}
    ]
    assert rec.result["criteria"][6]["text"].startswith("Low-level images only")
    event = last_audit()
    assert (event.operation, event.scope) == ("combine", "decision.recommendation")
    assert event.details["outcome"] == "divert"


def test_unknown_facts_stay_unknown(world):
    rec = services.recommendation_create(actor=world["a"], case=world["case"], confirmed={})
    assert rec.outcome == "insufficient_information"
    # Age today comes from the person record, but the age at the offence is not known yet:
    # E1 stays unknown (fail closed) and names it.
    assert rec.unknown == [f"E{n}" for n in range(1, 14)]
    assert rec.result["criteria"][0]["missing"][0]["fact"] == "age_at_offence"


def test_diversion_needs_a_second_supervisor_then_caution(world):
    case, a, b = world["case"], world["a"], world["b"]
    with pytest.raises(RecommendationMissing):
        services.decision_record(
            actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="x"
        )
    services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = services.decision_record(
        actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Eligible"
    )
    assert (decision.status, decision.approval_required, decision.departs_from_recommendation) == (
        "pending_approval",
        True,
        False,
    )
    assert last_audit().scope == "decision.decide"
    assert case_facts(case).decision_final is False
    with pytest.raises(DecisionAlreadyMade):
        services.decision_record(
            actor=b, case=case, outcome="prosecute", reason_code="other", reason_text="x"
        )
    with pytest.raises(SameSupervisor):
        services.decision_approve(actor=a, decision=decision, approve=True)
    with pytest.raises(ApprovalNotAllowed):
        services.decision_approve(actor=world["officer"], decision=decision, approve=True)
    services.decision_approve(actor=b, decision=decision, approve=True, note="Agreed")
    decision.refresh_from_db()
    assert (decision.status, decision.approved_by_id) == ("final", b.pk)
    assert (last_audit().operation, last_audit().scope) == ("alter", "decision.approval")
    facts = case_facts(case)
    assert (facts.decision_outcome, facts.decision_final) == ("divert", True)

    caution = services.caution_record(
        actor=world["officer"],
        case=case,
        kind="conditional_caution",
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=dt.date(2026, 3, 2),
        conditions=[
            {
                "kind": "attend_treatment",
                "description": "Attend Inform Plus",
                "deadline": dt.date(2026, 7, 20),
            },
        ],
        requirements=S23_MET,
    )
    case.refresh_from_db()
    assert case.state == CaseState.CAUTIONED
    assert caution.notifiable is True
    assert caution.notification_period == "2 years"
    assert caution.notification_last_day == dt.date(2028, 3, 1)
    assert caution.initial_notification_due == dt.date(2026, 3, 4)
    assert case_facts(case).caution_administered is True
    assert (last_audit().operation, last_audit().scope) == ("collect", "decision.caution")
    seen = caution_for_case(world["a"], case)
    assert [c.description for c in seen.conditions.all()] == ["Attend Inform Plus"]
    with pytest.raises(CautionAlreadyRecorded):
        services.caution_record(
            actor=world["officer"],
            case=case,
            kind="simple_caution",
            offences=["PCA1978_S1"],
            offence_date=dt.date(2025, 6, 1),
            youngest_depicted_age=12,
            caution_date=dt.date(2026, 3, 2),
            conditions=[],
            requirements=S23_MET,
        )


def test_caution_refused_without_an_approved_diversion_and_nothing_saved(world):
    with pytest.raises(CautionNotAllowed) as caught:
        services.caution_record(
            actor=world["officer"],
            case=world["case"],
            kind="simple_caution",
            offences=["CJA1988_S160"],
            offence_date=dt.date(2025, 6, 1),
            youngest_depicted_age=None,
            caution_date=dt.date(2026, 3, 2),
            conditions=[],
            requirements=S23_MET,
        )
    assert caught.value.code == "CAUTION_REQUIREMENT_MISSING"
    assert caught.value.details["fields"] == {
        "authorised_decision": "An authorised decision-maker decided that there is sufficient "
        "evidence to charge and that a caution should be given"
    }
    assert caution_for_case(world["a"], world["case"]) is None


@pytest.mark.parametrize(
    ("kind", "conditions", "message"),
    [
        (
            "simple_caution",
            [{"kind": "other", "description": "x"}],
            "A simple caution has no conditions",
        ),
        ("conditional_caution", [], "A conditional caution needs at least one condition"),
        (
            "conditional_caution",
            [{"kind": "other", "description": " "}],
            "Each condition needs a kind and a description",
        ),
        (
            "conditional_caution",
            [{"kind": "other", "description": "x", "deadline": dt.date(2026, 3, 1)}],
            "A condition's deadline cannot be before the caution",
        ),
    ],
)
def test_caution_conditions_are_checked(world, kind, conditions, message):
    with pytest.raises(InvalidConditions) as caught:
        services.caution_record(
            actor=world["officer"],
            case=world["case"],
            kind=kind,
            offences=["PCA1978_S1"],
            offence_date=dt.date(2025, 6, 1),
            youngest_depicted_age=12,
            caution_date=dt.date(2026, 3, 2),
            conditions=conditions,
            requirements=S23_MET,
        )
    assert caught.value.message == message


def test_prosecution_matching_recommendation_is_final_at_once_then_referral(world):
    case, a = world["case"], world["a"]
    services.recommendation_create(
        actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED | {"production_or_distribution": True}
    )
    decision = services.decision_record(
        actor=a,
        case=case,
        outcome="prosecute",
        reason_code="excluded_by_criterion",
        reason_text="E5: distribution",
    )
    assert (decision.status, decision.approval_required) == ("final", False)
    referral = services.prosecution_referral_record(
        actor=world["officer"],
        case=case,
        offences=["PCA1978_S1"],
        evidence_summary="Peer-to-peer upload found",
        reasons="Excluded by E5",
        sent_to_cps_on=dt.date(2026, 3, 5),
    )
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED_FOR_PROSECUTION
    event = last_audit()
    assert (event.operation, event.scope) == ("disclose", "decision.prosecution_referral")
    assert event.justification.startswith("Case file sent to the Crown Prosecution Service")
    services.prosecution_result_record(
        actor=world["officer"], referral=referral, result="charged", result_date=dt.date(2026, 4, 1)
    )
    from comeforward.decisions.selectors import outcome_code_suggestion

    assert outcome_code_suggestion(a, case) == "1"
    services.case_outcome_record(actor=a, case=case, code="1")
    assert case_facts(case).outcome_code_recorded is True
    assert last_audit().details == {"code": "1"}
    with pytest.raises(UnknownOutcomeCode):
        services.case_outcome_record(actor=a, case=case, code="99")


def test_departing_decision_needs_approval_and_refusal_allows_a_new_one(world):
    case, a, b = world["case"], world["a"], world["b"]
    services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = services.decision_record(
        actor=a, case=case, outcome="prosecute", reason_code="public_interest", reason_text="PI"
    )
    assert (decision.status, decision.departs_from_recommendation) == ("pending_approval", True)
    with pytest.raises(ApprovalNotAllowed):
        services.decision_approve(actor=b, decision=decision, approve=False, note="")
    services.decision_approve(actor=b, decision=decision, approve=False, note="Not justified")
    assert decision.status == "refused"
    assert case_facts(case).decision_outcome is None
    again = services.decision_record(
        actor=b, case=case, outcome="nfa", reason_code="other", reason_text="No public interest"
    )
    assert again.status == "pending_approval"
    services.decision_approve(actor=a, decision=again, approve=True)
    case.refresh_from_db()
    assert case.state == CaseState.NO_FURTHER_ACTION


def test_only_supervisors_decide_and_only_at_the_decision_stage(world, police_force):
    with pytest.raises(DecisionNotAllowed):
        services.decision_record(
            actor=world["officer"],
            case=world["case"],
            outcome="nfa",
            reason_code="other",
            reason_text="x",
        )
    early = decision_case(police_force, state=CaseState.INTERVIEW)
    with pytest.raises(DecisionNotAllowed) as caught:
        services.decision_record(
            actor=world["a"], case=early, outcome="nfa", reason_code="other", reason_text="x"
        )
    assert caught.value.details == {"state": "interview"}
