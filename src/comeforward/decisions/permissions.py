"""Who may do what on a case's decision, caution and outcome — **the one rule** (issue 19.2).

``decision_actions`` is pure over the objects given: the user, the case and what the case
already holds (the latest recommendation, the current decision, the caution, the prosecution
file, the outcome code). The case page's panel reads it for its buttons, the views check it
with ``cases.case_pages.case_action`` and the services guard with
``cases.extensions.require_action``, so the three cannot disagree (docs/extensions.md).
A refusal names the error the service has always raised (its stable code).
"""

from __future__ import annotations

from typing import Any

from comeforward.cases.domain.states import CaseState
from comeforward.cases.domain.workflow import fast_exit_targets
from comeforward.cases.extensions import Action, allow, deny
from comeforward.policy.disposal import REQUIREMENTS
from comeforward.roles import Role

from .domain import DecisionOutcome, DecisionStatus
from .errors import (
    ApprovalNotAllowed,
    CautionAlreadyRecorded,
    CautionNotAllowed,
    CorrectionNotAllowed,
    DecisionAlreadyMade,
    DecisionNotAllowed,
    FastExitNotAllowed,
    OutcomeAlreadyRecorded,
    ProsecutionFileAlreadyRecorded,
    RecommendationMissing,
    SameSupervisor,
)

#: Police roles who see the decision panel; those who act on it.
POLICE_ROLES = frozenset(
    {Role.SUPERVISOR, Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.INTAKE_OFFICER}
)
ACTING_ROLES = frozenset({Role.SUPERVISOR, Role.INVESTIGATOR})

ONLY_SUPERVISOR = "Only a supervisor may do this"
ONLY_ACTING = "Only a supervisor or an investigator may do this"

RECOMMEND = "decisions.recommend"
DECIDE = "decisions.decide"
APPROVE = "decisions.approve"
CAUTION = "decisions.caution"
CORRECT_CAUTION = "decisions.correct_caution"
REFER = "decisions.refer"
PROSECUTION_RESULT = "decisions.prosecution_result"
RECORD_OUTCOME = "decisions.record_outcome"
CORRECT_OUTCOME = "decisions.correct_outcome"
LEAVE_SCHEME = "decisions.leave_scheme"


def _first(key: str, label: str, refusals: list[tuple[bool, str, dict[str, Any]]]) -> Action:
    """Allowed unless one of ``(refused, reason, error)`` holds (the first one is given)."""
    for refused, reason, error in refusals:
        if refused:
            return deny(key, label, reason, **error)
    return allow(key, label)


def decision_actions(
    user, case, *, recommendation, decision, caution, referral, outcome
) -> list[Action]:
    """Every action of the decisions app on ``case`` for ``user``, allowed or not and why."""
    role = getattr(user, "role", None)
    state = CaseState(case.state)
    at_decision = state == CaseState.DECISION
    supervisor = role == Role.SUPERVISOR
    acting = role in ACTING_ROLES
    pending = decision is not None and decision.status == DecisionStatus.PENDING_APPROVAL
    final = decision is not None and decision.status == DecisionStatus.FINAL
    final_divert = final and decision.outcome == DecisionOutcome.DIVERT
    final_prosecute = final and decision.outcome == DecisionOutcome.PROSECUTE
    user_pk = getattr(user, "pk", None)
    return [
        _first(
            RECOMMEND,
            "Evaluate the eligibility policy",
            [
                (not acting, ONLY_ACTING, {}),
                (not at_decision, "The policy is evaluated at the decision stage", {}),
                (decision is not None, "A decision has already been made", {}),
            ],
        ),
        _first(
            DECIDE,
            "Record the decision",
            [
                (not supervisor, ONLY_SUPERVISOR, {"error": DecisionNotAllowed}),
                (
                    not at_decision,
                    "A decision can be made only when the case is at the decision stage",
                    {"error": DecisionNotAllowed, "details": {"state": case.state}},
                ),
                (
                    recommendation is None,
                    "Evaluate the eligibility policy before deciding",
                    {"error": RecommendationMissing},
                ),
                (
                    decision is not None,
                    "This case already has a decision",
                    {"error": DecisionAlreadyMade},
                ),
            ],
        ),
        _first(
            APPROVE,
            "Review the decision for approval",
            [
                (not supervisor, ONLY_SUPERVISOR, {"error": ApprovalNotAllowed}),
                (
                    not pending,
                    "This decision is not awaiting approval",
                    {"error": ApprovalNotAllowed},
                ),
                (
                    pending and decision.decided_by_id == user_pk,
                    "A second supervisor must approve this decision, not its maker",
                    {"error": SameSupervisor},
                ),
            ],
        ),
        _first(
            CAUTION,
            "Record the caution",
            [
                (not acting, ONLY_ACTING, {}),
                (
                    caution is not None,
                    "A caution is already recorded on this case",
                    {"error": CautionAlreadyRecorded},
                ),
                (not at_decision, "A caution is recorded at the decision stage", {}),
                (
                    not final_divert,
                    REQUIREMENTS["authorised_decision"],
                    {
                        "error": CautionNotAllowed,
                        "code": "CAUTION_REQUIREMENT_MISSING",
                        "details": {
                            "fields": {"authorised_decision": REQUIREMENTS["authorised_decision"]}
                        },
                    },
                ),
            ],
        ),
        _first(
            CORRECT_CAUTION,
            "Correct the caution",
            [
                (not supervisor, ONLY_SUPERVISOR, {"error": CorrectionNotAllowed}),
                (caution is None, "No caution is recorded", {"error": CorrectionNotAllowed}),
            ],
        ),
        # After a decision to prosecute, or once a confirmed breach has referred the case.
        _first(
            REFER,
            "Record the prosecution file",
            [
                (not acting, ONLY_ACTING, {}),
                (
                    referral is not None,
                    "The prosecution file has already been recorded",
                    {"error": ProsecutionFileAlreadyRecorded, "details": {"case": case.pk}},
                ),
                (
                    not (
                        state in (CaseState.REFERRED_FOR_PROSECUTION, CaseState.INVESTIGATION)
                        or (final_prosecute and at_decision)
                    ),
                    "A prosecution file follows a final decision to prosecute, a confirmed "
                    "breach or a criminal investigation",
                    {},
                ),
            ],
        ),
        _first(
            PROSECUTION_RESULT,
            "Record the CPS result",
            [
                (not acting, ONLY_ACTING, {}),
                (referral is None, "No prosecution file is recorded", {}),
                (
                    referral is not None and referral.result != "pending",
                    "The CPS result is already recorded",
                    {},
                ),
            ],
        ),
        _first(
            RECORD_OUTCOME,
            "Record the Home Office outcome code",
            [
                (not acting, ONLY_ACTING, {}),
                (
                    outcome is not None,
                    "An outcome code is already recorded on this case",
                    {"error": OutcomeAlreadyRecorded},
                ),
            ],
        ),
        _first(
            CORRECT_OUTCOME,
            "Correct the outcome code",
            [
                (not supervisor, ONLY_SUPERVISOR, {"error": CorrectionNotAllowed}),
                (outcome is None, "No outcome code is recorded", {"error": CorrectionNotAllowed}),
            ],
        ),
        _first(
            LEAVE_SCHEME,
            "Take the case out of the scheme",
            [
                (not supervisor, ONLY_SUPERVISOR, {"error": FastExitNotAllowed}),
                (
                    not fast_exit_targets(state),
                    "A case can leave the scheme early only before its disposal",
                    {"error": FastExitNotAllowed, "details": {"state": case.state}},
                ),
            ],
        ),
    ]
