from __future__ import annotations

import datetime as dt

import pytest

from comeforward.cases.domain.states import CaseState
from comeforward.decisions.models import Caution, Decision, Recommendation
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory, UserFactory


@pytest.fixture
def provider_org(db):
    return OrganisationFactory(
        name="Test treatment_provider",
        code="test-treatment_provider",
        kind=OrganisationType.TREATMENT_PROVIDER,
    )


def give_caution(case, kind: str = "conditional_caution"):
    """A caution record of ``kind`` on ``case`` (the decision trail made directly: the
    decisions app's own tests go through its services)."""
    supervisor = UserFactory(role=Role.SUPERVISOR, organisation=case.owning_organisation)
    recommendation = Recommendation.objects.create(
        case=case, policy_name="p", policy_version="v", outcome="divert", result={}, facts={}
    )
    decision = Decision.objects.create(
        case=case,
        recommendation=recommendation,
        outcome="divert",
        reason_code="meets_criteria",
        reason_text="Eligible",
        departs_from_recommendation=False,
        approval_required=False,
        status="final",
        decided_by=supervisor,
    )
    return Caution.objects.create(
        case=case,
        decision=decision,
        kind=kind,
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=dt.date(2026, 3, 2),
        administered_by=supervisor,
    )


@pytest.fixture
def cautioned(police_force):
    """A case given a conditional caution (breach → prosecution, CJA 2003 s.24)."""
    case = CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)
    give_caution(case)
    return case


@pytest.fixture
def simply_cautioned(police_force):
    """A case given a simple caution (no conditions, no breach route)."""
    case = CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)
    give_caution(case, "simple_caution")
    return case
