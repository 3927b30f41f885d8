"""The case page's "Independent assessment" panel."""

from __future__ import annotations

from typing import Any

from comeforward.roles import Role

from . import selectors
from .domain import RECOMMENDATIONS, RISK_LEVELS, TREATMENT_PATHWAYS


def assessment_panel_context(request, case) -> dict[str, Any] | None:
    user = request.user
    if user.role in (Role.TREATMENT_PROVIDER, Role.FORENSIC_EXAMINER):
        return None
    assessment = selectors.assessment_for_case(user, case)
    is_assessor = user.role == Role.INDEPENDENT_ASSESSOR
    declaration = (
        selectors.declaration_for(user, case) if is_assessor and assessment is None else None
    )
    shared = bool(assessment) and selectors.narrative_shared(case)
    return {
        "assessment": assessment,
        "narrative_visible": bool(assessment)
        and (user.organisation_id == assessment.organisation_id or shared),
        "narrative_shared": shared,
        "is_assessor": is_assessor,
        "declaration": declaration,
        "can_refer": user.role in (Role.SUPERVISOR, Role.INVESTIGATOR) and assessment is None,
        "can_share": bool(assessment and assessment.assessor_id == user.pk),
        "labels": {
            "risk": RISK_LEVELS,
            "recommendation": RECOMMENDATIONS,
            "pathway": TREATMENT_PATHWAYS,
        },
    }
