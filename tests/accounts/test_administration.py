"""Administration within one's own organisation: add an account, change its role, reset its
second factor, deactivate and reactivate it — each audited; never another organisation's
account, never one's own (issue 11.7, 20.7)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp import devices_for_user

from comeforward.accounts import selectors, services
from comeforward.accounts.models import User
from comeforward.audit.models import AuditEvent
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_force():
    return OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )


def test_administrators_see_only_their_own_organisations_accounts(make_user, other_force):
    admin = make_user(Role.ADMINISTRATOR)
    own = make_user(Role.INVESTIGATOR)
    foreign = make_user(Role.INVESTIGATOR, organisation=other_force)
    visible = set(selectors.users_visible_to(admin))
    assert own in visible and admin in visible
    assert foreign not in visible
    assert selectors.user_get_for_admin(admin, user_id=foreign.pk) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda admin, user: services.user_deactivate(actor=admin, user=user, reason="x"),
        lambda admin, user: services.user_mfa_reset(actor=admin, user=user, reason="x"),
        lambda admin, user: services.user_role_change(actor=admin, user=user, role=Role.SUPERVISOR),
        lambda admin, user: services.user_reactivate(actor=admin, user=user, reason="x"),
    ],
    ids=["deactivate", "mfa_reset", "role_change", "reactivate"],
)
def test_services_refuse_another_organisations_account_and_ones_own(call, make_user, other_force):
    admin = make_user(Role.ADMINISTRATOR)
    foreign = make_user(Role.INVESTIGATOR, organisation=other_force)
    with pytest.raises(services.UserNotInYourOrganisation):
        call(admin, foreign)
    with pytest.raises(services.NotOnYourOwnAccount):
        call(admin, admin)
    non_admin = make_user(Role.SUPERVISOR)
    with pytest.raises(services.UserNotInYourOrganisation):
        call(non_admin, make_user(Role.INVESTIGATOR))
    foreign.refresh_from_db()
    admin.refresh_from_db()
    assert (foreign.is_active, foreign.role, admin.is_active) == (True, Role.INVESTIGATOR, True)
    assert not AuditEvent.objects.filter(subject_type="user").exists()


def test_user_create_only_in_ones_own_organisation(make_user, other_force):
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(services.UserNotInYourOrganisation):
        services.user_create(
            actor=admin,
            email="x@otherton.example",
            full_name="X",
            organisation=other_force,
            role=Role.INVESTIGATOR,
            password=None,
        )
    assert not User.objects.filter(email="x@otherton.example").exists()


def test_add_an_account_through_the_page(make_user, sign_in, police_force):
    admin = make_user(Role.ADMINISTRATOR)
    client = sign_in(admin)
    page = client.get("/account/users/new").content.decode()
    assert "Independent assessor" not in page  # a police force cannot employ assessors
    refused = client.post("/account/users/new", {}).content.decode()
    assert "Enter their full name" in refused and "Select a role" in refused
    html = client.post(
        "/account/users/new",
        {"full_name": "New Officer", "email": "New@Testshire.Example", "role": "intake_officer"},
    ).content.decode()
    created = User.objects.get(email="new@testshire.example")
    assert (created.organisation_id, created.role) == (police_force.pk, Role.INTAKE_OFFICER)
    assert 'data-testid="one-time-password"' in html
    event = AuditEvent.objects.get(subject_type="user", subject_id=str(created.pk))
    assert (event.operation, event.actor_id) == ("collect", admin.pk)
    again = client.post(
        "/account/users/new",
        {"full_name": "Twin", "email": "new@testshire.example", "role": "intake_officer"},
    ).content.decode()
    assert "An account with this email address exists" in again


def test_change_role_is_audited_and_signs_the_user_out(make_user, sign_in):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.INTAKE_OFFICER)
    officer_client = sign_in(officer)
    services.user_session_register(user=officer, session_key=officer_client.session.session_key)
    response = sign_in(admin).post(f"/account/users/{officer.pk}/", {"role": "investigator"})
    assert response["Location"] == "/account/users/"
    officer.refresh_from_db()
    assert officer.role == Role.INVESTIGATOR
    event = AuditEvent.objects.get(scope="account.role")
    assert (event.actor_id, event.details) == (
        admin.pk,
        {"before": "intake_officer", "after": "investigator", "sessions_ended": 1},
    )
    assert officer_client.get("/")["Location"].startswith("/account/sign-in")
    with pytest.raises(services.RoleNotAllowedForOrganisation):
        services.user_role_change(actor=admin, user=officer, role=Role.INDEPENDENT_ASSESSOR)


def test_reset_second_factor_then_the_user_enrols_again(make_user, sign_in):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.INVESTIGATOR)
    client = sign_in(admin)
    url = f"/account/users/{officer.pk}/mfa-reset"
    assert "Enter why the second factor is being reset" in client.post(url, {}).content.decode()
    assert len(list(devices_for_user(officer, confirmed=None))) == 1
    assert client.post(url, {"reason": "Lost phone"})["Location"] == "/account/users/"
    assert list(devices_for_user(officer, confirmed=None)) == []
    event = AuditEvent.objects.get(scope="account.mfa", subject_id=str(officer.pk))
    assert (event.actor_id, event.justification, event.details) == (
        admin.pk,
        "Lost phone",
        {"reset": True, "factors_removed": 1, "sessions_ended": 0},
    )


def test_reactivate_a_deactivated_account(make_user, sign_in):
    from ..factories import TEST_PASSWORD

    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.INVESTIGATOR)
    services.user_deactivate(actor=admin, user=officer, reason="Career break")
    client = sign_in(admin)
    assert (
        f"/account/users/{officer.pk}/reactivate" in client.get("/account/users/").content.decode()
    )
    response = client.post(f"/account/users/{officer.pk}/reactivate", {"reason": "Back"})
    assert response["Location"] == "/account/users/"
    officer.refresh_from_db()
    assert (officer.is_active, officer.deactivated_at) == (True, None)
    event = AuditEvent.objects.filter(scope="account.is_active").latest("seq")
    assert (event.actor_id, event.justification, event.details) == (
        admin.pk,
        "Back",
        {"reactivated": True},
    )
    with pytest.raises(services.UserStateUnchanged):
        services.user_reactivate(actor=admin, user=officer, reason="Again")
    # They sign in again and must set up a new second factor.
    fresh = Client()
    fresh.post("/account/sign-in", {"email": officer.email, "password": TEST_PASSWORD})
    assert fresh.get("/account/mfa/")["Location"] == "/account/mfa/setup"


def test_nobody_deactivates_themselves_through_the_page(make_user, sign_in):
    admin = make_user(Role.ADMINISTRATOR)
    client = sign_in(admin)
    response = client.post(f"/account/users/{admin.pk}/deactivate", {"reason": "Oops"})
    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.is_active is True
    assert Session.objects.count() == 1
