"""The case workflow as a pure state machine with guards (ARCHITECTURE.md §4;
domain-rules §4.7–4.8 and §5.2).

A transition is allowed when it is in ``TRANSITIONS`` and every guard for the target state
holds on the case's facts. Guards encode the scheme: no decision before safeguarding is
screened and every referral closed, the devices are triaged, the admission is recorded and the
independent assessment is complete; no caution without an approved decision to divert; a
confirmed breach routes to prosecution only where the disposal has a breach route (a
conditional caution, CJA 2003 s.24 — never a simple caution, domain-rules §2.6); any open
case may end in no further action, with a reason. Refusals name every unmet condition.

What an admission means is the eligibility policy's question (E2), not the workflow's: the
case moves on to assessment once the interview is recorded, whatever was admitted
(docs/disposals.md "No dead ends").

Fast exits (domain-rules §4.7 E2, E4, E5, E7): from any stage before the disposal
(``PRE_DISPOSAL_STATES``) a supervisor can take the case out of the scheme to a criminal
investigation or straight to prosecution, once the exit's reason is recorded
(``decisions.services.scheme_exit_record``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from comeforward.errors import DomainError

from .states import OPEN_STATES, PRE_DISPOSAL_STATES, CaseState

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
    interview_recorded: bool = False  # any interview, whatever was admitted
    assessment_complete: bool = False
    decision_outcome: str | None = None  # "divert" | "prosecute" | "nfa"
    decision_final: bool = False  # decided and, where required, approved by a second supervisor
    caution_administered: bool = False
    treatment_referred: bool = False
    treatment_completed: bool = False
    breach_review_open: bool = False
    breach_confirmed: bool = False
    outcome_code_recorded: bool = False
    breach_route_available: bool = False  # the caution given allows breach → prosecution
    scheme_exit_target: str | None = None  # a fast exit recorded from the current state
    # What the law engine said when the caution was recorded (read by the register's section,
    # so that ``register`` never imports ``decisions``): notifiable (None: could not decide, or
    # no caution), the caution's date and the facts it lacked.
    caution_date: dt.date | None = None
    caution_notifiable: bool | None = None
    caution_facts_missing: tuple[str, ...] = ()


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
    S.INVESTIGATION: frozenset({S.REFERRED_FOR_PROSECUTION}),
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
_INTERVIEWED = Condition(
    "INTERVIEW_NOT_RECORDED",
    "Record the interview under caution first",
    lambda f: f.interview_recorded or f.admission_recorded,
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
    S.ASSESSMENT: (_INTERVIEWED,),
    S.DECISION: (
        _SCREENED,
        _REFERRALS_MADE,
        _REFERRALS_CLOSED,
        _TRIAGED,
        _INTERVIEWED,
        _ASSESSED,
    ),
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
            "NO_BREACH_ROUTE",
            "The disposal given has no breach route (a simple caution has no conditions)",
            lambda f: f.breach_route_available,
        ),
        Condition(
            "NO_BREACH_REVIEW",
            "Open a breach review first",
            lambda f: f.breach_review_open or f.breach_confirmed,
        ),
    ),
    S.INVESTIGATION: (
        Condition(
            "FAST_EXIT_NOT_RECORDED",
            "A supervisor must record why the case leaves the scheme first",
            lambda f: f.scheme_exit_target == S.INVESTIGATION,
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

_FAST_EXIT_TO_PROSECUTION = Condition(
    "FAST_EXIT_NOT_RECORDED",
    "A supervisor must record why the case leaves the scheme first",
    lambda f: f.scheme_exit_target == S.REFERRED_FOR_PROSECUTION,
)

#: From breach review, prosecution needs the breach confirmed on a disposal that has a breach
#: route; from a decision, an approved decision to prosecute (or a fast exit); from any other
#: stage before the disposal, a fast exit; from an investigation, nothing more.
_PROSECUTION_GUARDS: dict[CaseState, tuple[Condition, ...]] = {
    S.DECISION: (
        Condition(
            "DECISION_NOT_PROSECUTE",
            "An approved decision to prosecute is needed first",
            lambda f: (
                (f.decision_final and f.decision_outcome == "prosecute")
                or f.scheme_exit_target == S.REFERRED_FOR_PROSECUTION
            ),
        ),
    ),
    S.BREACHED: (
        Condition(
            "NO_BREACH_ROUTE",
            "The disposal given has no breach route (a simple caution has no conditions)",
            lambda f: f.breach_route_available,
        ),
        Condition(
            "BREACH_NOT_CONFIRMED",
            "A supervisor must confirm the breach first",
            lambda f: f.breach_confirmed,
        ),
    ),
    S.INVESTIGATION: (),
}


def allowed_targets(state: CaseState) -> frozenset[CaseState]:
    targets = set(TRANSITIONS[state])
    if state in OPEN_STATES and state not in {S.NO_FURTHER_ACTION, S.CLOSED}:
        targets.add(S.NO_FURTHER_ACTION)
    if state in PRE_DISPOSAL_STATES:
        targets |= {S.INVESTIGATION, S.REFERRED_FOR_PROSECUTION}
    return frozenset(targets)


def fast_exit_targets(state: CaseState) -> frozenset[CaseState]:
    """Where a fast exit can take a case from ``state`` (nothing after the disposal)."""
    if CaseState(state) in PRE_DISPOSAL_STATES:
        return frozenset({S.INVESTIGATION, S.REFERRED_FOR_PROSECUTION})
    return frozenset()


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
        guards = _PROSECUTION_GUARDS.get(current, (_FAST_EXIT_TO_PROSECUTION,))
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
