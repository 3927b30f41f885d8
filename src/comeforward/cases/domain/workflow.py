"""The case workflow as a pure state machine with guards (ARCHITECTURE.md §4;
domain-rules §4.7–4.8 and §5.2).

A transition is allowed when it is in ``TRANSITIONS`` and every guard for the target state
holds on the case's facts. Guards encode the scheme: no decision before safeguarding is
screened and every referral closed, the devices are triaged, the admission is recorded and the
independent assessment is complete; no caution without an approved decision to divert; a
confirmed breach routes to prosecution; any open case may end in no further action, with a
reason. Refusals name every unmet condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from comeforward.errors import DomainError

from .states import OPEN_STATES, CaseState

S = CaseState


@dataclass(frozen=True)
class CaseFacts:
    """What the other parts of the case say, gathered by ``cases.facts`` providers."""

    safeguarding_screened: bool = False
    safeguarding_referral_required: bool = False  # children at risk → LADO/CSC/strategy
    safeguarding_referrals_made: int = 0
    safeguarding_referrals_open: int = 0
    exhibits_received: int = 0
    exhibits_untriaged: int = 0
    admission_recorded: bool = False
    assessment_complete: bool = False
    decision_outcome: str | None = None  # "divert" | "prosecute" | "nfa"
    decision_final: bool = False  # decided and, where required, approved by a second supervisor
    caution_administered: bool = False
    treatment_referred: bool = False
    treatment_completed: bool = False
    breach_review_open: bool = False
    breach_confirmed: bool = False
    outcome_code_recorded: bool = False


@dataclass(frozen=True)
class Condition:
    code: str
    message: str
    holds: Callable[[CaseFacts], bool]


class CaseTransitionNotAllowed(DomainError):
    code = "CASE_TRANSITION_NOT_ALLOWED"


TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    S.REFERRED: frozenset({S.SAFEGUARDING_SCREEN}),
    S.SAFEGUARDING_SCREEN: frozenset({S.STRATEGY_DISCUSSION, S.DEVICES_RECEIVED}),
    S.STRATEGY_DISCUSSION: frozenset({S.DEVICES_RECEIVED}),
    S.DEVICES_RECEIVED: frozenset({S.FORENSIC_REVIEW}),
    S.FORENSIC_REVIEW: frozenset({S.INTERVIEW}),
    S.INTERVIEW: frozenset({S.ASSESSMENT}),
    S.ASSESSMENT: frozenset({S.DECISION}),
    S.DECISION: frozenset({S.CAUTIONED, S.REFERRED_FOR_PROSECUTION}),
    S.CAUTIONED: frozenset({S.IN_TREATMENT, S.BREACHED}),
    S.IN_TREATMENT: frozenset({S.COMPLETED, S.BREACHED}),
    S.BREACHED: frozenset({S.REFERRED_FOR_PROSECUTION, S.IN_TREATMENT}),
    S.COMPLETED: frozenset({S.CLOSED}),
    S.REFERRED_FOR_PROSECUTION: frozenset({S.CLOSED}),
    S.NO_FURTHER_ACTION: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

_SCREENED = Condition(
    "SAFEGUARDING_NOT_SCREENED",
    "Record the safeguarding screen first",
    lambda f: f.safeguarding_screened,
)
_REFERRALS_MADE = Condition(
    "SAFEGUARDING_REFERRAL_NOT_MADE",
    "The screen found children at risk: make the safeguarding referral (children's social "
    "care, LADO or strategy discussion) first",
    lambda f: not f.safeguarding_referral_required or f.safeguarding_referrals_made > 0,
)
_REFERRALS_CLOSED = Condition(
    "SAFEGUARDING_REFERRAL_OPEN",
    "A safeguarding referral is still open: record its outcome first",
    lambda f: f.safeguarding_referrals_open == 0,
)
_DEVICES = Condition(
    "NO_EXHIBITS",
    "Record the devices handed in as exhibits first",
    lambda f: f.exhibits_received > 0,
)
_TRIAGED = Condition(
    "EXHIBITS_NOT_TRIAGED",
    "Every exhibit needs a forensic examination result first",
    lambda f: f.exhibits_received > 0 and f.exhibits_untriaged == 0,
)
_ADMISSION = Condition(
    "ADMISSION_NOT_RECORDED",
    "Record the interview with a full admission first",
    lambda f: f.admission_recorded,
)
_ASSESSED = Condition(
    "ASSESSMENT_NOT_COMPLETE",
    "The independent assessment must be complete first",
    lambda f: f.assessment_complete,
)


def _decided(outcome: str) -> Condition:
    return Condition(
        f"DECISION_NOT_{outcome.upper()}",
        f"An approved decision to {outcome} is needed first",
        lambda f: f.decision_final and f.decision_outcome == outcome,
    )


GUARDS: dict[CaseState, tuple[Condition, ...]] = {
    S.STRATEGY_DISCUSSION: (_SCREENED,),
    S.DEVICES_RECEIVED: (_SCREENED, _REFERRALS_MADE),
    S.FORENSIC_REVIEW: (_DEVICES,),
    S.INTERVIEW: (_TRIAGED,),
    S.ASSESSMENT: (_ADMISSION,),
    S.DECISION: (_SCREENED, _REFERRALS_MADE, _REFERRALS_CLOSED, _TRIAGED, _ADMISSION, _ASSESSED),
    S.CAUTIONED: (_decided("divert"),),
    S.IN_TREATMENT: (
        Condition(
            "NO_TREATMENT_REFERRAL",
            "Refer the person to a treatment provider first",
            lambda f: f.treatment_referred,
        ),
    ),
    S.COMPLETED: (
        Condition(
            "TREATMENT_NOT_COMPLETED",
            "The treatment provider must record completion first",
            lambda f: f.treatment_completed,
        ),
    ),
    S.BREACHED: (
        Condition(
            "NO_BREACH_REVIEW",
            "Open a breach review first",
            lambda f: f.breach_review_open or f.breach_confirmed,
        ),
    ),
    S.CLOSED: (
        Condition(
            "OUTCOME_CODE_MISSING",
            "Record the Home Office outcome code first",
            lambda f: f.outcome_code_recorded,
        ),
    ),
}

#: From breach review, prosecution needs the breach confirmed; from a decision, it needs an
#: approved decision to prosecute.
_PROSECUTION_GUARDS: dict[CaseState, tuple[Condition, ...]] = {
    S.DECISION: (_decided("prosecute"),),
    S.BREACHED: (
        Condition(
            "BREACH_NOT_CONFIRMED",
            "A supervisor must confirm the breach first",
            lambda f: f.breach_confirmed,
        ),
    ),
}


def allowed_targets(state: CaseState) -> frozenset[CaseState]:
    targets = set(TRANSITIONS[state])
    if state in OPEN_STATES and state not in {S.NO_FURTHER_ACTION, S.CLOSED}:
        targets.add(S.NO_FURTHER_ACTION)
    return frozenset(targets)


def unmet_conditions(
    current: CaseState, target: CaseState, facts: CaseFacts, *, reason: str = ""
) -> list[Condition]:
    """Every condition that stops ``current → target`` (empty when it is allowed)."""
    if target == S.NO_FURTHER_ACTION:
        return (
            []
            if reason.strip()
            else [Condition("REASON_REQUIRED", "Give the reason for no further action", bool)]
        )
    if target == S.REFERRED_FOR_PROSECUTION:
        guards = _PROSECUTION_GUARDS.get(current, ())
    elif target == S.IN_TREATMENT and current == S.BREACHED:
        guards = (
            Condition(
                "BREACH_REVIEW_STILL_OPEN",
                "Close the breach review (breach not confirmed) first",
                lambda f: not f.breach_review_open and not f.breach_confirmed,
            ),
        )
    else:
        guards = GUARDS.get(target, ())
    return [condition for condition in guards if not condition.holds(facts)]


def check_transition(
    current: CaseState, target: CaseState, facts: CaseFacts, *, reason: str = ""
) -> None:
    """Raise ``CaseTransitionNotAllowed`` naming every unmet condition."""
    current, target = CaseState(current), CaseState(target)
    if target not in allowed_targets(current):
        raise CaseTransitionNotAllowed(
            f"A case cannot move from {current.label} to {target.label}",
            details={"from": current.value, "to": target.value, "unmet": []},
        )
    unmet = unmet_conditions(current, target, facts, reason=reason)
    if unmet:
        raise CaseTransitionNotAllowed(
            "; ".join(c.message for c in unmet),
            details={
                "from": current.value,
                "to": target.value,
                "unmet": [{"code": c.code, "message": c.message} for c in unmet],
            },
        )
