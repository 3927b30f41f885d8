"""The case page's "Independent assessment" panel. Its links are the one permission rule
(``permissions.assessment_actions``), never re-derived here."""

from __future__ import annotations

from typing import Any

from comeforward.roles import Role

from . import selectors
from .domain import RECOMMENDATIONS, RISK_LEVELS, TREATMENT_PATHWAYS
from .permissions import assessment_actions, is_assessor


def assessment_panel_context(request, case) -> dict[str, Any] | None:
    user = request.user
    if user.role in (Role.TREATMENT_PROVIDER, Role.FORENSIC_EXAMINER):
        return None
    assessment = selectors.assessment_for_case(user, case)
    # Only an assessor has a declaration (saves the read for everyone else).
    assessor = is_assessor(user)
    declaration = selectors.declaration_for(user, case) if assessor and not assessment else None
    shared = bool(assessment) and selectors.narrative_shared(case)
    actions = {
        action.key.split(".", 1)[1]: action
        for action in assessment_actions(
            user,
            case,
            assessment=assessment,
            declaration=declaration,
            narrative_shared=shared,
        )
    }
    return {
        "assessment": assessment,
        "narrative_visible": bool(assessment)
        and (user.organisation_id == assessment.organisation_id or shared),
        "narrative_shared": shared,
        "is_assessor": assessor,
        "declaration": declaration,
        "actions": actions,
        "labels": {
            "risk": RISK_LEVELS,
            "recommendation": RECOMMENDATIONS,
            "pathway": TREATMENT_PATHWAYS,
        },
    }
