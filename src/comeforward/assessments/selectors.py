"""Reads of the assessments app, scoped through ``cases.selectors``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comeforward.accounts.selectors import organisations_of_kind
from comeforward.cases.selectors import case_get_for_user
from comeforward.people.selectors import works_with_children
from comeforward.roles import OrganisationType
from comeforward.safeguarding.selectors import screen_latest

from .models import Assessment, ConflictDeclaration, NarrativeAccess


def assessment_services():
    return list(organisations_of_kind(OrganisationType.ASSESSMENT_SERVICE))


def assessment_for_case(user, case) -> Assessment | None:
    case = case_get_for_user(user, case_id=case.pk)
    return Assessment.objects.filter(case=case).select_related("assessor", "organisation").first()


def declaration_for(user, case) -> ConflictDeclaration | None:
    case = case_get_for_user(user, case_id=case.pk)
    return ConflictDeclaration.objects.filter(case=case, assessor=user).first()


def case_assessment(case) -> Assessment | None:
    """The case's assessment, for the permission rule (the caller has scoped the case)."""
    return Assessment.objects.filter(case=case).first()


def declaration_of(user, case) -> ConflictDeclaration | None:
    """``user``'s conflict declaration on ``case``, for the permission rule (unscoped: the
    caller has scoped the case)."""
    if getattr(user, "pk", None) is None:
        return None
    return ConflictDeclaration.objects.filter(case=case, assessor_id=user.pk).first()


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


@dataclass(frozen=True)
class CaseItem:
    """A CASIC item the case already records, and where it was taken from."""

    value: bool
    source: str


def casic_items_from_case(case) -> dict[str, CaseItem]:
    """CASIC items the case already knows, so the assessor does not re-key them
    (domain-rules.md §3.2 design note [D]: CASIC items that are also safeguarding facts).

    ``volunteered_with_children`` (CASIC: *ever* volunteered in a role with high access to
    children) is taken as *yes* when the person record has a current occupation working or
    volunteering with children (``people.works_with_children``), or else when the latest
    safeguarding screen says they work with children. A *no* in either is about now, not
    ever, so it is never taken as *no*: the assessor answers. Online sexual communication with
    a minor is not recorded anywhere else yet, so it stays with the assessor."""
    if works_with_children(case.person):
        return {
            "volunteered_with_children": CaseItem(
                True, "person record (an occupation working or volunteering with children)"
            )
        }
    screen = screen_latest(case)
    if screen is not None and screen.works_with_children:
        return {
            "volunteered_with_children": CaseItem(
                True, f"safeguarding screen of {screen.screened_at:%Y-%m-%d} (works with children)"
            )
        }
    return {}
