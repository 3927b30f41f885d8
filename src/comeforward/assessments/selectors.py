"""Reads of the assessments app, scoped through ``cases.selectors``."""

from __future__ import annotations

from typing import Any

from comeforward.accounts.roles import OrganisationType
from comeforward.accounts.selectors import organisations_of_kind
from comeforward.cases.selectors import case_get_for_user

from .models import Assessment, ConflictDeclaration, NarrativeAccess


def assessment_services():
    return list(organisations_of_kind(OrganisationType.ASSESSMENT_SERVICE))


def assessment_for_case(user, case) -> Assessment | None:
    case = case_get_for_user(user, case_id=case.pk)
    return Assessment.objects.filter(case=case).select_related("assessor", "organisation").first()


def declaration_for(user, case) -> ConflictDeclaration | None:
    case = case_get_for_user(user, case_id=case.pk)
    return ConflictDeclaration.objects.filter(case=case, assessor=user).first()


def narrative_shared(case) -> bool:
    return NarrativeAccess.objects.filter(case=case, revoked_at__isnull=True).exists()


def narrative_visible(user, assessment: Assessment) -> bool:
    """The assessment service sees its own narrative; police users only when it is shared."""
    if user.organisation_id == assessment.organisation_id:
        return True
    return narrative_shared(assessment.case)


def assessment_facts(case) -> dict[str, Any]:
    """Workflow fact (cases.facts provider)."""
    return {"assessment_complete": Assessment.objects.filter(case=case).exists()}


def assessment_policy_facts(case) -> dict[str, Any]:
    """Policy facts (E6, E11): the assessment's risk level, and CASIC item f (online sexual
    communication with a minor) where the assessor scored it — captured once, reused."""
    assessment = Assessment.objects.filter(case=case).first()
    if assessment is None:
        return {"assessment_complete": False}
    casic = assessment.instrument_items.get("casic", {})
    return {
        "assessment_complete": True,
        "assessed_risk_level": assessment.risk_level,
        "online_sexual_communication_with_minor": casic.get(
            "online_sexual_communication_with_minor"
        ),
    }
