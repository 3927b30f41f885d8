"""Safeguarding pages: permissions, recording through the forms, the case panel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.roles import OrganisationType, Role
from comeforward.safeguarding.models import SafeguardingReferral, SafeguardingScreen
from comeforward.safeguarding.services import (
    safeguarding_referral_record,
    safeguarding_screen_record,
)

from ..factories import CaseFactory, OrganisationFactory
from ..web.matrix import assert_matrix

pytestmark = pytest.mark.django_db

YES_NO = {
    "children_in_household": "no",
    "works_with_children": "no",
    "immediate_risk": "no",
    "suicide_or_self_harm_risk": "no",
}


@pytest.fixture
def world(make_user, police_force):
    case = CaseFactory(owning_organisation=police_force)
    users = {role: make_user(role) for role in Role.values}
    for role in (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.FORENSIC_EXAMINER):
        case_team_add(actor=None, case=case, user=users[role])
    for role in (Role.INDEPENDENT_ASSESSOR, Role.TREATMENT_PROVIDER):
        case_partner_grant(actor=None, case=case, organisation=users[role].organisation, role=role)
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    users["investigator of another force"] = make_user(Role.INVESTIGATOR, organisation=other_force)
    return case, users


def test_permission_matrix(world, sign_in):
    case, users = world
    referral = safeguarding_referral_record(
        actor=users[Role.INTAKE_OFFICER], case=case, kind="lado", made_on=timezone.localdate()
    )
    allowed = frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR})
    base = f"/cases/{case.pk}/safeguarding"
    assert_matrix(
        {
            f"{base}/screen": allowed,
            f"{base}/referrals/new": allowed,
            f"{base}/referrals/{referral.pk}/outcome": allowed,
        },
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_referral_of_another_case_is_not_found(world, case_client, police_force):
    case, users = world
    other = CaseFactory(owning_organisation=police_force)
    referral = safeguarding_referral_record(
        actor=users[Role.SUPERVISOR], case=other, kind="lado", made_on=timezone.localdate()
    )
    client = case_client(users[Role.SUPERVISOR], case)
    url = f"/cases/{case.pk}/safeguarding/referrals/{referral.pk}/outcome"
    assert client.get(url).status_code == 404


def test_forms_ask_for_a_reason_first(world, sign_in):
    case, users = world
    response = sign_in(users[Role.INVESTIGATOR]).get(f"/cases/{case.pk}/safeguarding/screen")
    assert response.status_code == 302
    assert response["Location"].startswith("/audit/reason?")


def test_recording_a_screen_through_the_form(world, case_client):
    case, users = world
    client = case_client(users[Role.INTAKE_OFFICER], case)
    response = client.post(
        f"/cases/{case.pk}/safeguarding/screen",
        YES_NO | {"children_in_household": "yes", "notes": "Two children, 4 and 7"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    screen = SafeguardingScreen.objects.get(case=case)
    assert (screen.children_in_household, screen.referral_required, screen.notes) == (
        True,
        True,
        "Two children, 4 and 7",
    )
    assert screen.screened_by == users[Role.INTAKE_OFFICER]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Safeguarding screen recorded" in page
    assert "Children&#39;s social care: by" in page
    assert 'data-testid="suicide-warning"' not in page


def test_screen_form_errors(world, case_client):
    case, users = world
    client = case_client(users[Role.INTAKE_OFFICER], case)
    response = client.post(f"/cases/{case.pk}/safeguarding/screen", {"immediate_risk": "no"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select yes or no: are there children in the household?" in html
    assert SafeguardingScreen.objects.count() == 0


def test_suicide_risk_shows_the_support_warning(world, case_client):
    case, users = world
    safeguarding_screen_record(
        actor=users[Role.INTAKE_OFFICER],
        case=case,
        children_in_household=False,
        works_with_children=False,
        immediate_risk=False,
        suicide_or_self_harm_risk=True,
    )
    page = case_client(users[Role.INVESTIGATOR], case).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="suicide-warning"' in page
    assert "Samaritans (116 123)" in page
    assert "Mental-health or crisis support: by" in page
    assert case.state == "referred"  # a prompt, no automatic decision


def test_recording_a_referral_and_its_outcome(world, case_client):
    case, users = world
    client = case_client(users[Role.INVESTIGATOR], case)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/cases/{case.pk}/safeguarding/referrals/new",
        {"kind": "strategy_discussion", "made_on": today, "agency": "Northshire MASH"},
    )
    assert response.status_code == 302
    referral = SafeguardingReferral.objects.get(case=case)
    assert (referral.kind, referral.agency, referral.made_by) == (
        "strategy_discussion",
        "Northshire MASH",
        users[Role.INVESTIGATOR],
    )
    response = client.post(
        f"/cases/{case.pk}/safeguarding/referrals/{referral.pk}/outcome",
        {"outcome": "s.47 enquiry not needed", "outcome_on": today},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "s.47 enquiry not needed"
    # Closing it again is refused by the one rule (permissions.py) before the form: back to
    # the case page with the reason, nothing changes.
    response = client.post(
        f"/cases/{case.pk}/safeguarding/referrals/{referral.pk}/outcome",
        {"outcome": "Changed", "outcome_on": today},
        follow=True,
    )
    assert response.redirect_chain[0] == (f"/cases/{case.pk}/", 302)
    assert "already recorded" in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == "s.47 enquiry not needed"
    assert AuditEvent.objects.filter(scope="case.safeguarding.referral").count() == 2


def test_future_date_is_a_form_error(world, case_client):
    case, users = world
    client = case_client(users[Role.INVESTIGATOR], case)
    response = client.post(
        f"/cases/{case.pk}/safeguarding/referrals/new", {"kind": "lado", "made_on": "2100-01-01"}
    )
    assert response.status_code == 200
    assert "must be today or earlier" in response.content.decode()
    assert SafeguardingReferral.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "sees_panel"),
    [
        (Role.INVESTIGATOR, True),
        (Role.SUPERVISOR, True),
        (Role.FORENSIC_EXAMINER, False),
        (Role.INDEPENDENT_ASSESSOR, False),
        (Role.TREATMENT_PROVIDER, False),
    ],
)
def test_panel_only_for_police_casework(world, case_client, role, sees_panel):
    case, users = world
    page = case_client(users[role], case).get(f"/cases/{case.pk}/").content.decode()
    assert ('id="panel-safeguarding"' in page) is sees_panel
