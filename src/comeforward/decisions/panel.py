"""The case page's "Eligibility and decision" panel (read through the selectors)."""

from __future__ import annotations

from typing import Any

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
from .permissions import POLICE_ROLES, decision_actions


def decisions_panel_context(request, case) -> dict[str, Any] | None:
    user = request.user
    if user.role not in POLICE_ROLES:
        return None
    overview = selectors.decisions_overview(user, case)
    recommendation, decision = overview["recommendation"], overview["decision"]
    caution, referral, outcome = overview["caution"], overview["referral"], overview["outcome"]
    # The buttons: the one permission rule (permissions.py), never re-derived here.
    actions = {
        action.key.split(".", 1)[1]: action for action in decision_actions(user, case, **overview)
    }
    scheme_exit = selectors.scheme_exit_for_case(user, case)
    rule = selectors.disposal_rules().type(caution.kind) if caution else None
    return {
        "scheme_exit": scheme_exit,
        "disposal": rule,
        "corrections": selectors.corrections_for_case(user, case) if caution or outcome else [],
        "register_to_be_determined": caution is not None and caution.notifiable is None,
        "actions": actions,
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
        "awaiting_other_supervisor": bool(
            decision
            and decision.status == DecisionStatus.PENDING_APPROVAL
            and decision.decided_by_id == user.pk
        ),
    }
