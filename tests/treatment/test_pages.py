"""Treatment pages: the permission matrix, notes for the provider only, and the flow."""

from __future__ import annotations

import pytest

from comeforward.audit.access import remember_reason
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.extensions import action_for
from comeforward.cases.services import case_team_add
from comeforward.roles import Role
from comeforward.treatment import services
from comeforward.treatment.models import BreachReview, TreatmentReferral

from ..factories import CaseFactory
from ..web.matrix import assert_matrix
from .conftest import give_caution

pytestmark = pytest.mark.django_db
OM, INV, SUP, TP = (
    Role.OFFENDER_MANAGER,
    Role.INVESTIGATOR,
    Role.SUPERVISOR,
    Role.TREATMENT_PROVIDER,
)


@pytest.fixture
def users(make_user):
    return {role: make_user(role) for role in Role.values}


def _client(sign_in, user, case):
    client = sign_in(user)
    session = client.session

    class _R:
        pass

    request = _R()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing")
    session.save()
    return client


def test_matrix(users, sign_in, police_force):
    refer_case = CaseFactory(owning_organisation=police_force, state=S.CAUTIONED)
    case = CaseFactory(owning_organisation=police_force, state=S.CAUTIONED)
    give_caution(case)
    for c in (refer_case, case):
        case_team_add(actor=None, case=c, user=users[OM])
        case_team_add(actor=None, case=c, user=users[INV])
    services.treatment_refer(
        actor=None,
        case=case,
        provider=users[TP].organisation,
        programme="Inform Plus",
        expected_sessions=5,
    )
    review = services.breach_review_open(actor=None, case=case, source="manual", reason="Test")
    police = frozenset({OM, INV, SUP})
    assert_matrix(
        {f"/cases/{refer_case.pk}/treatment/refer": police},
        users,
        sign_in,
        remember_reason_for=("case", refer_case.pk),
    )
    assert_matrix(
        {
            f"/cases/{case.pk}/treatment/sessions/new": frozenset({TP}),
            f"/cases/{case.pk}/treatment/notes/new": frozenset({TP}),
            f"/cases/{case.pk}/treatment/outcome": frozenset({TP}),
            f"/cases/{case.pk}/treatment/breach-reviews/new": police,
            f"/cases/{case.pk}/treatment/breach-reviews/{review.pk}/decide": frozenset({SUP}),
        },
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
        # a breach review is open: the rule refuses another (back to the case page, with why)
        refused_now=lambda user, url: (
            url.endswith("/breach-reviews/new")
            and not action_for(user, case, "treatment.open_breach_review").allowed
        ),
    )


def test_a_provider_not_referred_to_sees_nothing(users, sign_in, make_user, police_force):
    from ..factories import OrganisationFactory

    case = CaseFactory(owning_organisation=police_force, state=S.CAUTIONED)
    give_caution(case)
    services.treatment_refer(
        actor=None, case=case, provider=users[TP].organisation, programme="P", expected_sessions=3
    )
    other = make_user(
        TP, organisation=OrganisationFactory(code="other-tp", kind="treatment_provider")
    )
    assert sign_in(other).get(f"/cases/{case.pk}/treatment/notes/new").status_code == 404


def test_the_whole_flow_through_the_pages(users, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force, state=S.CAUTIONED)
    give_caution(case)
    case_team_add(actor=None, case=case, user=users[OM])
    officer = _client(sign_in, users[OM], case)
    response = officer.post(
        f"/cases/{case.pk}/treatment/refer",
        {
            "provider": str(users[TP].organisation.pk),
            "programme": "Inform Plus",
            "expected_sessions": "5",
        },
    )
    assert response.status_code == 302
    assert TreatmentReferral.objects.get(case=case).expected_sessions == 5
    provider = _client(sign_in, users[TP], case)
    assert (
        provider.post(
            f"/cases/{case.pk}/treatment/notes/new", {"text": "Reflective, engaged"}
        ).status_code
        == 302
    )
    refused = provider.post(
        f"/cases/{case.pk}/treatment/sessions/new", {"date": "2025-01-06", "attendance": "missed"}
    )
    assert refused.status_code == 200
    assert "Give the reason the session was missed" in refused.content.decode()
    provider_page = provider.get(f"/cases/{case.pk}/").content.decode()
    police_page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert "Reflective, engaged" in provider_page
    assert "Reflective, engaged" not in police_page
    assert "1 progress note held by the provider" in police_page
    assert (
        provider.post(
            f"/cases/{case.pk}/treatment/outcome",
            {"outcome": "not_completed", "reason": "Withdrew"},
        ).status_code
        == 302
    )
    review = BreachReview.objects.get(case=case)
    supervisor = _client(sign_in, users[SUP], case)
    assert "Decide this breach review" in supervisor.get(f"/cases/{case.pk}/").content.decode()
    assert (
        supervisor.post(
            f"/cases/{case.pk}/treatment/breach-reviews/{review.pk}/decide",
            {"decision": "confirm", "reason": "No reasonable excuse"},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.state == S.REFERRED_FOR_PROSECUTION
    assert (
        supervisor.get(f"/cases/{case.pk}/treatment/breach-reviews/{review.pk}/decide").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("kind", "offered"), [("simple_caution", False), ("conditional_caution", True)]
)
def test_a_breach_review_is_offered_only_where_the_disposal_has_a_breach_route(
    users, sign_in, police_force, kind, offered
):
    case = CaseFactory(owning_organisation=police_force, state=S.CAUTIONED)
    give_caution(case, kind)
    page = _client(sign_in, users[Role.SUPERVISOR], case).get(f"/cases/{case.pk}/").content.decode()
    assert ("Open a breach review</a>" in page) is offered
    assert ('data-testid="no-breach-route"' in page) is not offered
