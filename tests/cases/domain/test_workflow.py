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
        "ADMISSION_NOT_RECORDED",
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
        ({"admission_recorded": False}, "ADMISSION_NOT_RECORDED"),
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


def test_breach_routes_to_prosecution_only_when_confirmed():
    assert _codes(S.IN_TREATMENT, S.BREACHED, CaseFacts()) == ["NO_BREACH_REVIEW"]
    check_transition(S.IN_TREATMENT, S.BREACHED, CaseFacts(breach_review_open=True))
    assert _codes(S.BREACHED, S.REFERRED_FOR_PROSECUTION, CaseFacts(breach_review_open=True)) == [
        "BREACH_NOT_CONFIRMED"
    ]
    check_transition(S.BREACHED, S.REFERRED_FOR_PROSECUTION, CaseFacts(breach_confirmed=True))


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
