"""Every guard of the case workflow (pure: no database)."""

from __future__ import annotations

import dataclasses

import pytest

from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.domain.workflow import (
    TRANSITIONS,
    CaseFacts,
    CaseTransitionNotAllowed,
    allowed_targets,
    check_transition,
    fast_exit_targets,
)

#: Facts of a case that has done everything up to a decision.
READY_FOR_DECISION = CaseFacts(
    safeguarding_screened=True,
    exhibits_received=2,
    exhibits_untriaged=0,
    admission_recorded=True,
    assessment_complete=True,
)


def _codes(current, target, facts, reason=""):
    with pytest.raises(CaseTransitionNotAllowed) as error:
        check_transition(current, target, facts, reason=reason)
    return [u["code"] for u in error.value.details["unmet"]]


def test_a_fresh_case_cannot_jump_to_a_decision():
    assert _codes(S.REFERRED, S.DECISION, CaseFacts()) == []  # not an edge at all
    assert "cannot move from Referred to Decision" in str(
        pytest.raises(
            CaseTransitionNotAllowed, check_transition, S.REFERRED, S.DECISION, CaseFacts()
        ).value
    )


def test_decision_names_every_unmet_condition():
    assert _codes(S.ASSESSMENT, S.DECISION, CaseFacts()) == [
        "SAFEGUARDING_NOT_SCREENED",
        "EXHIBITS_NOT_TRIAGED",
        "INTERVIEW_NOT_RECORDED",
        "ASSESSMENT_NOT_COMPLETE",
    ]


def test_decision_allowed_when_everything_is_done():
    check_transition(S.ASSESSMENT, S.DECISION, READY_FOR_DECISION)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"safeguarding_screened": False}, "SAFEGUARDING_NOT_SCREENED"),
        ({"safeguarding_referral_required": True}, "SAFEGUARDING_REFERRAL_NOT_MADE"),
        ({"safeguarding_referrals_open": 1}, "SAFEGUARDING_REFERRAL_OPEN"),
        ({"exhibits_untriaged": 1}, "EXHIBITS_NOT_TRIAGED"),
        ({"exhibits_received": 0}, "EXHIBITS_NOT_TRIAGED"),
        ({"admission_recorded": False}, "INTERVIEW_NOT_RECORDED"),
        ({"assessment_complete": False}, "ASSESSMENT_NOT_COMPLETE"),
    ],
)
def test_each_decision_guard_on_its_own(change, code):
    assert _codes(S.ASSESSMENT, S.DECISION, dataclasses.replace(READY_FOR_DECISION, **change)) == [
        code
    ]


def test_referral_made_and_closed_lets_a_decision_through():
    facts = dataclasses.replace(
        READY_FOR_DECISION, safeguarding_referral_required=True, safeguarding_referrals_made=1
    )
    check_transition(S.ASSESSMENT, S.DECISION, facts)


def test_devices_cannot_be_received_before_the_screen_or_the_referral():
    assert _codes(S.SAFEGUARDING_SCREEN, S.DEVICES_RECEIVED, CaseFacts()) == [
        "SAFEGUARDING_NOT_SCREENED"
    ]
    facts = CaseFacts(safeguarding_screened=True, safeguarding_referral_required=True)
    assert _codes(S.SAFEGUARDING_SCREEN, S.DEVICES_RECEIVED, facts) == [
        "SAFEGUARDING_REFERRAL_NOT_MADE"
    ]


def test_no_caution_without_an_approved_decision_to_divert():
    assert _codes(S.DECISION, S.CAUTIONED, CaseFacts(decision_outcome="divert")) == [
        "DECISION_NOT_DIVERT"
    ]
    assert _codes(
        S.DECISION, S.CAUTIONED, CaseFacts(decision_outcome="prosecute", decision_final=True)
    ) == ["DECISION_NOT_DIVERT"]
    check_transition(
        S.DECISION, S.CAUTIONED, CaseFacts(decision_outcome="divert", decision_final=True)
    )


def test_prosecution_from_decision_needs_an_approved_decision_to_prosecute():
    assert _codes(S.DECISION, S.REFERRED_FOR_PROSECUTION, CaseFacts()) == ["DECISION_NOT_PROSECUTE"]
    check_transition(
        S.DECISION,
        S.REFERRED_FOR_PROSECUTION,
        CaseFacts(decision_outcome="prosecute", decision_final=True),
    )


CONDITIONAL = CaseFacts(breach_route_available=True)


def test_breach_routes_to_prosecution_only_when_confirmed():
    assert _codes(S.IN_TREATMENT, S.BREACHED, CONDITIONAL) == ["NO_BREACH_REVIEW"]
    check_transition(
        S.IN_TREATMENT, S.BREACHED, dataclasses.replace(CONDITIONAL, breach_review_open=True)
    )
    assert _codes(
        S.BREACHED,
        S.REFERRED_FOR_PROSECUTION,
        dataclasses.replace(CONDITIONAL, breach_review_open=True),
    ) == ["BREACH_NOT_CONFIRMED"]
    check_transition(
        S.BREACHED,
        S.REFERRED_FOR_PROSECUTION,
        dataclasses.replace(CONDITIONAL, breach_confirmed=True),
    )


@pytest.mark.parametrize("state", [S.CAUTIONED, S.IN_TREATMENT])
def test_a_simple_caution_has_no_breach_route(state):
    """A simple caution has no conditions: it cannot be breached (CJA 2003 s.24 applies to
    conditional cautions only, domain-rules §2.6)."""
    assert _codes(state, S.BREACHED, CaseFacts(breach_review_open=True)) == ["NO_BREACH_ROUTE"]
    assert _codes(S.BREACHED, S.REFERRED_FOR_PROSECUTION, CaseFacts(breach_confirmed=True)) == [
        "NO_BREACH_ROUTE"
    ]


def test_a_partial_admission_or_a_denial_still_reaches_assessment():
    """The policy (E2), not the workflow, decides what the admission means."""
    assert _codes(S.INTERVIEW, S.ASSESSMENT, CaseFacts()) == ["INTERVIEW_NOT_RECORDED"]
    check_transition(S.INTERVIEW, S.ASSESSMENT, CaseFacts(interview_recorded=True))


PRE_DISPOSAL = [
    S.REFERRED,
    S.SAFEGUARDING_SCREEN,
    S.STRATEGY_DISCUSSION,
    S.DEVICES_RECEIVED,
    S.FORENSIC_REVIEW,
    S.INTERVIEW,
    S.ASSESSMENT,
    S.DECISION,
]


@pytest.mark.parametrize("state", PRE_DISPOSAL)
@pytest.mark.parametrize("target", [S.INVESTIGATION, S.REFERRED_FOR_PROSECUTION])
def test_fast_exit_from_any_stage_before_the_disposal_needs_the_recorded_exit(state, target):
    assert target in allowed_targets(state)
    assert target in fast_exit_targets(state)
    codes = _codes(state, target, CaseFacts())
    assert codes in (["FAST_EXIT_NOT_RECORDED"], ["DECISION_NOT_PROSECUTE"])
    check_transition(state, target, CaseFacts(scheme_exit_target=target.value))


@pytest.mark.parametrize("state", PRE_DISPOSAL)
def test_a_recorded_exit_to_one_place_does_not_open_the_other(state):
    facts = CaseFacts(scheme_exit_target=S.INVESTIGATION.value)
    check_transition(state, S.INVESTIGATION, facts)
    with pytest.raises(CaseTransitionNotAllowed):
        check_transition(state, S.REFERRED_FOR_PROSECUTION, facts)


@pytest.mark.parametrize(
    "state", [S.CAUTIONED, S.IN_TREATMENT, S.COMPLETED, S.BREACHED, S.NO_FURTHER_ACTION, S.CLOSED]
)
def test_no_fast_exit_after_the_disposal(state):
    assert fast_exit_targets(state) == frozenset()
    assert S.INVESTIGATION not in allowed_targets(state)


def test_an_investigation_goes_to_prosecution_or_no_further_action():
    assert allowed_targets(S.INVESTIGATION) == {S.REFERRED_FOR_PROSECUTION, S.NO_FURTHER_ACTION}
    check_transition(S.INVESTIGATION, S.REFERRED_FOR_PROSECUTION, CaseFacts())


def test_breach_not_confirmed_returns_to_treatment():
    assert _codes(S.BREACHED, S.IN_TREATMENT, CaseFacts(breach_review_open=True)) == [
        "BREACH_REVIEW_STILL_OPEN"
    ]
    check_transition(S.BREACHED, S.IN_TREATMENT, CaseFacts())


def test_treatment_steps():
    assert _codes(S.CAUTIONED, S.IN_TREATMENT, CaseFacts()) == ["NO_TREATMENT_REFERRAL"]
    assert _codes(S.IN_TREATMENT, S.COMPLETED, CaseFacts()) == ["TREATMENT_NOT_COMPLETED"]


def test_closing_needs_the_outcome_code():
    assert _codes(S.COMPLETED, S.CLOSED, CaseFacts()) == ["OUTCOME_CODE_MISSING"]
    check_transition(S.COMPLETED, S.CLOSED, CaseFacts(outcome_code_recorded=True))


@pytest.mark.parametrize("state", [s for s in S if s not in (S.CLOSED, S.NO_FURTHER_ACTION)])
def test_no_further_action_from_any_open_state_needs_a_reason(state):
    assert S.NO_FURTHER_ACTION in allowed_targets(state)
    assert _codes(state, S.NO_FURTHER_ACTION, CaseFacts(), reason="  ") == ["REASON_REQUIRED"]
    check_transition(state, S.NO_FURTHER_ACTION, CaseFacts(), reason="Possible card-fraud victim")


def test_closed_is_final():
    assert allowed_targets(S.CLOSED) == frozenset()


def test_every_state_has_a_transition_entry():
    assert set(TRANSITIONS) == set(S)
