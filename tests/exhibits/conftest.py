from __future__ import annotations

import pytest
from comeforward_triage.signing import public_key_text

from comeforward.audit.access import remember_reason
from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.exhibits.models import TriageSigningKey, TriageSigningKeyKind
from comeforward.exhibits.services import exhibit_record
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory
from .triage_files import TEST_SIGNER


@pytest.fixture(autouse=True)
def triage_key(request):
    """For database tests: ``TEST_SIGNER`` registered as a key valid for every force (as the
    installation's worker key is), so that the tests' signed reports can be imported."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return None
    request.getfixturevalue("db")
    return TriageSigningKey.objects.create(
        name="Test signer",
        kind=TriageSigningKeyKind.WORKER,
        fingerprint=TEST_SIGNER.fingerprint,
        public_key=public_key_text(TEST_SIGNER.public_key),
    )


@pytest.fixture
def case_client(sign_in):
    """``case_client(user, case)`` → a signed-in client that has given its reason for the case."""

    def make(user, case):
        client = sign_in(user)
        session = client.session

        class _Request:
            pass

        request = _Request()
        request.session = session
        remember_reason(request, "case", case.pk, "Testing")
        session.save()
        return client

    return make


@pytest.fixture
def world(make_user, police_force):
    """A case with a user of every role (team: intake, investigator, examiner), an
    assessor partner grant, two examiners without access, and exhibit JS/1."""
    case = CaseFactory(owning_organisation=police_force)
    users = {role: make_user(role) for role in Role.values}
    for role in (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.FORENSIC_EXAMINER):
        case_team_add(actor=None, case=case, user=users[role])
    case_partner_grant(
        actor=None,
        case=case,
        organisation=users[Role.INDEPENDENT_ASSESSOR].organisation,
        role=Role.INDEPENDENT_ASSESSOR,
    )
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    users["examiner of another force"] = make_user(Role.FORENSIC_EXAMINER, organisation=other_force)
    users["examiner not on the team"] = make_user(Role.FORENSIC_EXAMINER)
    exhibit = exhibit_record(
        actor=users[Role.INVESTIGATOR],
        case=case,
        reference="JS/1",
        kind="phone",
        description="Black phone",
        storage_location="Property store",
    )
    return case, exhibit, users
