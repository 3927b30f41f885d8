from __future__ import annotations

import pytest

from comeforward.accounts.roles import OrganisationType
from comeforward.cases.domain.states import CaseState

from ..factories import CaseFactory, OrganisationFactory


@pytest.fixture
def provider_org(db):
    return OrganisationFactory(
        name="Test treatment_provider",
        code="test-treatment_provider",
        kind=OrganisationType.TREATMENT_PROVIDER,
    )


@pytest.fixture
def cautioned(police_force):
    return CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)
