"""Teams (issue 14.2, 20.7): an administrator adds teams to their own organisation and
changes a user's team — audited, own organisation only, never widening access."""

from __future__ import annotations

import pytest

from comeforward.accounts import selectors, team_services
from comeforward.accounts.models import Team
from comeforward.accounts.services import (
    NotOnYourOwnAccount,
    UserNotInYourOrganisation,
    UserStateUnchanged,
)
from comeforward.audit.models import AuditEvent
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_force():
    return OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )


def test_team_create_is_audited_and_unique_per_organisation(make_user, other_force):
    admin = make_user(Role.ADMINISTRATOR)
    team = team_services.team_create(
        actor=admin, organisation=admin.organisation, name="  Online  CSAM North "
    )
    assert team.name == "Online CSAM North" and team.organisation == admin.organisation
    event = AuditEvent.objects.get(scope="account.team", subject_type="team")
    assert event.actor_id == admin.pk and event.details["name"] == "Online CSAM North"
    with pytest.raises(team_services.TeamNameTaken):
        team_services.team_create(
            actor=admin, organisation=admin.organisation, name="online csam north"
        )
    with pytest.raises(team_services.TeamNameInvalid):
        team_services.team_create(actor=admin, organisation=admin.organisation, name="   ")
    # The same name in another organisation is another team (made by its administrator).
    other_admin = make_user(Role.ADMINISTRATOR, organisation=other_force)
    team_services.team_create(actor=other_admin, organisation=other_force, name="Online CSAM North")
    # Never in another organisation, never by a non-administrator.
    with pytest.raises(UserNotInYourOrganisation):
        team_services.team_create(actor=admin, organisation=other_force, name="Sneaky")
    with pytest.raises(UserNotInYourOrganisation):
        team_services.team_create(
            actor=make_user(Role.SUPERVISOR), organisation=admin.organisation, name="Mine"
        )
    assert Team.objects.count() == 2


def test_user_team_change_is_audited_within_the_organisation(make_user, other_force):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.INVESTIGATOR)
    north = team_services.team_create(actor=admin, organisation=admin.organisation, name="North")
    foreign_team = Team.objects.create(organisation=other_force, name="Theirs")
    team_services.user_team_change(actor=admin, user=officer, team=north)
    officer.refresh_from_db()
    assert officer.team == north
    event = AuditEvent.objects.get(scope="account.team", subject_type="user")
    assert event.details == {"before": None, "after": north.pk}
    with pytest.raises(UserStateUnchanged):
        team_services.user_team_change(actor=admin, user=officer, team=north)
    with pytest.raises(team_services.TeamNotInOrganisation):
        team_services.user_team_change(actor=admin, user=officer, team=foreign_team)
    with pytest.raises(NotOnYourOwnAccount):
        team_services.user_team_change(actor=admin, user=admin, team=north)
    foreign = make_user(Role.INVESTIGATOR, organisation=other_force)
    with pytest.raises(UserNotInYourOrganisation):
        team_services.user_team_change(actor=admin, user=foreign, team=None)
    officer.refresh_from_db()
    assert officer.team == north  # the refusals changed nothing
    team_services.user_team_change(actor=admin, user=officer, team=None)
    officer.refresh_from_db()
    assert officer.team is None


def test_team_pages(make_user, sign_in, other_force):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.INVESTIGATOR)
    client = sign_in(admin)
    users_page = client.get("/account/users/").content.decode()
    assert "/account/teams/" in users_page and f"/account/users/{officer.pk}/team" in users_page
    refused = client.post("/account/teams/", {"name": ""})
    assert refused.status_code == 400 and "Enter the team" in refused.content.decode()
    assert client.post("/account/teams/", {"name": "North"}).status_code == 302
    team = Team.objects.get(name="North")
    assert "North" in client.get("/account/teams/").content.decode()
    page = client.get(f"/account/users/{officer.pk}/team")
    assert page.status_code == 200 and "No team" in page.content.decode()
    moved = client.post(f"/account/users/{officer.pk}/team", {"team": str(team.pk)})
    assert moved.status_code == 302
    officer.refresh_from_db()
    assert officer.team == team
    # Another organisation's team id is not a choice; another organisation's user is 404.
    theirs = Team.objects.create(organisation=other_force, name="Theirs")
    bad = client.post(f"/account/users/{officer.pk}/team", {"team": str(theirs.pk)})
    assert bad.status_code == 400
    foreign = make_user(Role.INVESTIGATOR, organisation=other_force)
    assert client.get(f"/account/users/{foreign.pk}/team").status_code == 404
    assert client.get(f"/account/users/{admin.pk}/team").status_code == 404
    # Only administrators.
    supervisor = sign_in(make_user(Role.SUPERVISOR))
    assert supervisor.get("/account/teams/").status_code == 403
    assert supervisor.get(f"/account/users/{officer.pk}/team").status_code == 403
    assert list(selectors.teams_of(admin.organisation_id))[0].members_count == 1
