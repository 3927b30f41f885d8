"""Writes of the assessments app: referral (partner grant), conflict declaration, the
completed assessment, narrative access. One transaction and one audit record each. Each first
asks the one permission rule (``permissions.assessment_actions`` through
``cases.extensions.require_action``), the rule the case page's links and the views read."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from comeforward.accounts.roles import OrganisationType, Role
from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.extensions import require_action
from comeforward.cases.services import case_partner_grant, case_tasks_reconcile
from comeforward.risk import score

from . import permissions, selectors
from .domain import INSTRUMENTS, RECOMMENDATIONS, RISK_LEVELS, TREATMENT_PATHWAYS
from .errors import (
    AssessmentAlreadyComplete,
    AssessmentNotAllowed,
    ConflictOfInterest,
    NotAnAssessmentService,
)
from .models import Assessment, ConflictDeclaration, NarrativeAccess


def _audit(actor, case, operation, scope, details, **extra):
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="case",
        subject_id=case.pk,
        subject_ref=case.reference,
        scope=scope,
        details=details,
        **extra,
    )


def assessment_refer(*, actor, case, organisation):
    """Refer the case for independent assessment: access for the service's assessors
    (``cases.services.case_partner_grant``, audited there as a disclosure)."""
    require_action(actor, case, permissions.REFER)
    if organisation.kind != OrganisationType.ASSESSMENT_SERVICE:
        raise NotAnAssessmentService(
            f"{organisation.name} is not an assessment service",
            details={"organisation": organisation.code},
        )
    return case_partner_grant(
        actor=actor, case=case, organisation=organisation, role=Role.INDEPENDENT_ASSESSOR
    )


def conflict_declare(*, actor, case, has_conflict: bool, details: str = "") -> ConflictDeclaration:
    """Once per assessor and case, before the assessment is complete."""
    require_action(actor, case, permissions.DECLARE_CONFLICT)
    if has_conflict and not details.strip():
        raise ConflictOfInterest("Describe the conflict of interest", details={"field": "details"})
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            case=case, assessor=actor, has_conflict=has_conflict, details=details.strip()
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "assessment.conflict",
            {"declaration": declaration.pk, "has_conflict": has_conflict},
        )
    return declaration


def assessment_complete(
    *,
    actor,
    case,
    instrument_items: dict[str, dict[str, Any]],
    risk_level: str,
    judgement: str,
    recommendation: str,
    treatment_pathway: str,
    clinical_narrative: str,
) -> Assessment:
    """Complete the assessment. Refused with a conflict declared (or none declared); each
    instrument given is scored with ``comeforward.risk`` and its JSON stored. CASIC items the
    case already records (``selectors.casic_items_from_case``) are taken from the case and
    win over anything entered: they are the record (as gathered policy facts do)."""
    require_action(actor, case, permissions.COMPLETE)  # an assessor, declared, no conflict
    declaration = selectors.declaration_of(actor, case)
    assert declaration is not None  # the rule refused a completion without one
    for value, allowed, name in (
        (risk_level, RISK_LEVELS, "risk_level"),
        (recommendation, RECOMMENDATIONS, "recommendation"),
        (treatment_pathway, TREATMENT_PATHWAYS, "treatment_pathway"),
    ):
        if value not in allowed:
            raise AssessmentNotAllowed(f"Unknown {name} {value!r}", details={"field": name})
    unknown = sorted(set(instrument_items) - set(INSTRUMENTS))
    if unknown:
        raise AssessmentNotAllowed("Unknown instrument(s)", details={"unknown": unknown})
    from_case = selectors.casic_items_from_case(case)
    if from_case:
        casic = dict(instrument_items.get("casic", {}))
        casic.update({key: item.value for key, item in from_case.items()})
        instrument_items = {**instrument_items, "casic": casic}
    results = {name: score(name, items).as_dict() for name, items in instrument_items.items()}
    with transaction.atomic():
        if Assessment.objects.filter(case=case).exists():
            raise AssessmentAlreadyComplete("The assessment of this case is already complete")
        assessment = Assessment.objects.create(
            case=case,
            assessor=actor,
            organisation=actor.organisation,
            declaration=declaration,
            instrument_items=instrument_items,
            instrument_results=results,
            risk_level=risk_level,
            judgement=judgement.strip(),
            recommendation=recommendation,
            treatment_pathway=treatment_pathway,
            clinical_narrative=clinical_narrative.strip(),
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "assessment.complete",
            {
                "assessment": assessment.pk,
                "instruments": sorted(results),
                "risk_level": risk_level,
                "recommendation": recommendation,
                "taken_from_case": {k: item.source for k, item in sorted(from_case.items())},
            },
        )
        case_tasks_reconcile(actor=actor, case=case)
    return assessment


def narrative_access_grant(*, actor, case) -> NarrativeAccess:
    """The assessor who completed the assessment lets the case's police users read the
    clinical narrative (once: it stays shared)."""
    require_action(actor, case, permissions.SHARE_NARRATIVE)
    with transaction.atomic():
        grant = NarrativeAccess.objects.create(case=case, granted_by=actor)
        _audit(
            actor,
            case,
            Operation.DISCLOSE,
            "assessment.narrative_access",
            {"grant": grant.pk},
            justification="The assessor shares the clinical narrative with the case team",
        )
    return grant
