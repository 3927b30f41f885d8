"""The case page's "Eligibility and decision" panel (read through the selectors)."""

from __future__ import annotations

from typing import Any

from comeforward.accounts.roles import Role
from comeforward.cases.domain.states import CaseState
from comeforward.cases.domain.workflow import fast_exit_targets

from . import selectors
from .domain import (
    CAUTION_LABELS,
    CONDITION_KINDS,
    DECISION_LABELS,
    DECISION_REASONS,
    FAST_EXIT_REASONS,
    FAST_EXIT_TARGETS,
    OFFENCE_LABELS,
    OUTCOME_CODES,
    PROSECUTION_RESULT_LABELS,
    SIGNATURE_LABELS,
    DecisionStatus,
)

POLICE_ROLES = {Role.SUPERVISOR, Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.INTAKE_OFFICER}
ACTING_ROLES = {Role.SUPERVISOR, Role.INVESTIGATOR}


def decisions_panel_context(request, case) -> dict[str, Any] | None:
    user = request.user
    if user.role not in POLICE_ROLES:
        return None
    overview = selectors.decisions_overview(user, case)
    recommendation, decision = overview["recommendation"], overview["decision"]
    caution, referral, outcome = overview["caution"], overview["referral"], overview["outcome"]
    at_decision = case.state == CaseState.DECISION
    is_supervisor = user.role == Role.SUPERVISOR
    scheme_exit = selectors.scheme_exit_for_case(user, case)
    rule = selectors.disposal_rules().type(caution.kind) if caution else None
    return {
        "scheme_exit": scheme_exit,
        "disposal": rule,
        "corrections": selectors.corrections_for_case(user, case) if caution or outcome else [],
        "can_leave_scheme": is_supervisor and bool(fast_exit_targets(CaseState(case.state))),
        "can_correct_caution": is_supervisor and caution is not None,
        "register_to_be_determined": caution is not None and caution.notifiable is None,
        "can_correct_outcome": is_supervisor and outcome is not None,
        "recommendation": recommendation,
        "decision": decision,
        "caution": caution,
        "referral": referral,
        "outcome": outcome,
        "labels": {
            "decision": DECISION_LABELS,
            "reason": DECISION_REASONS,
            "caution": CAUTION_LABELS,
            "condition": CONDITION_KINDS,
            "offence": OFFENCE_LABELS,
            "outcome": OUTCOME_CODES,
            "prosecution": PROSECUTION_RESULT_LABELS,
            "signature": SIGNATURE_LABELS,
            "exit_reason": FAST_EXIT_REASONS,
            "exit_target": FAST_EXIT_TARGETS,
        },
        "can_recommend": at_decision and user.role in ACTING_ROLES and decision is None,
        "can_decide": at_decision and is_supervisor and recommendation and decision is None,
        "can_approve": bool(
            decision
            and decision.status == DecisionStatus.PENDING_APPROVAL
            and is_supervisor
            and decision.decided_by_id != user.pk
        ),
        "awaiting_other_supervisor": bool(
            decision
            and decision.status == DecisionStatus.PENDING_APPROVAL
            and decision.decided_by_id == user.pk
        ),
        "can_caution": caution is None
        and case.state == CaseState.DECISION
        and user.role in ACTING_ROLES
        and decision is not None
        and decision.status == DecisionStatus.FINAL
        and decision.outcome == "divert",
        # After a decision to prosecute, or once a confirmed breach has referred the case.
        "can_refer": referral is None
        and user.role in ACTING_ROLES
        and (
            case.state in (CaseState.REFERRED_FOR_PROSECUTION, CaseState.INVESTIGATION)
            or (
                decision is not None
                and decision.status == DecisionStatus.FINAL
                and decision.outcome == "prosecute"
                and at_decision
            )
        ),
        "can_record_outcome": outcome is None and user.role in ACTING_ROLES,
    }
