"""A case at the decision stage, with the other apps' workflow facts stubbed out."""

from __future__ import annotations

import datetime as dt

from comeforward.assessments.models import Assessment, ConflictDeclaration
from comeforward.cases.domain.states import CaseState
from comeforward.decisions.domain import CautionRequirements
from comeforward.interviews.models import Interview
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory, PersonFactory, UserFactory

#: The s.23 requirements the officer confirms, all met (a scanned signed document).
S23_MET = CautionRequirements(
    evidence_sufficient=True,
    explanation_given=True,
    consent_given=True,
    signature_method="scanned",
    signature_reference="SCAN-2026-0042",
)

#: Every policy fact known and eligible, as a supervisor would confirm them.
ELIGIBLE_CONFIRMED = {
    "age_at_offence": 40,
    "admission_recorded": True,
    "admission_only_at_caution_stage": False,
    "forensic_examination_complete": True,
    "ungraded_item_count": 0,
    "contact_sexual_offending": False,
    "specific_child_safeguarding_concern": False,
    "production_or_distribution": False,
    "commissioning_or_live_streaming": False,
    "online_sexual_communication_with_minor": False,
    "category_a_count": 0,
    "category_b_count": 2,
    "category_c_count": 10,
    "previous_sexual_convictions_or_cautions": False,
    "other_history_violent_or_sexual": False,
    "similar_caution_within_period": False,
    "access_to_children": False,
    "works_or_volunteers_with_children": False,
    "assessment_complete": True,
    "assessed_risk_level": "low",
    "consents_to_conditions": True,
    "offences": ["PCA1978_S1"],
}


def decision_case(
    police_force,
    *,
    admission: str = "full",
    pathway: str | None = "none",
    **fields,
):
    """A case at the decision stage with an interview (``admission``: full, partial, none;
    ``None``: no interview) and an independent assessment choosing ``pathway`` (``None``: no
    assessment)."""
    fields = {"state": CaseState.DECISION} | fields
    case = CaseFactory(
        owning_organisation=police_force,
        person=PersonFactory(date_of_birth=dt.date(1968, 1, 9)),
        **fields,
    )
    officer = UserFactory(role=Role.INVESTIGATOR, organisation=police_force)
    if admission is not None:
        interview(case, officer, admission=admission)
    if pathway is not None:
        assess(case, pathway)
    return case


def interview(case, officer, *, admission="full", held_on=dt.date(2026, 1, 12)):
    full = admission == "full"
    return Interview.objects.create(
        case=case,
        held_on=held_on,
        admission=admission,
        recorded=True,
        recording_reference="DIR-0001",
        offences_admitted=["PCA1978_S1"] if admission != "none" else [],
        legal_adviser_present=True,
        admission_recorded=full,
        recorded_by=officer,
    )


def assess(case, pathway: str):
    service = OrganisationFactory(
        name=f"Assessors {case.pk}",
        code=f"assess-{case.pk}",
        kind=OrganisationType.ASSESSMENT_SERVICE,
    )
    assessor = UserFactory(role=Role.INDEPENDENT_ASSESSOR, organisation=service)
    declaration = ConflictDeclaration.objects.create(
        case=case, assessor=assessor, has_conflict=False
    )
    return Assessment.objects.create(
        case=case,
        assessor=assessor,
        organisation=service,
        declaration=declaration,
        risk_level="low",
        judgement="Low risk on the structured judgement",
        recommendation="suitable",
        treatment_pathway=pathway,
        clinical_narrative="Narrative",
    )
