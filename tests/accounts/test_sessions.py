"""Inactivity timeout, absolute lifetime and sign-out everywhere on deactivation."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from comeforward.accounts.services import user_deactivate
from comeforward.audit.models import AuditEvent
from comeforward.roles import Role

from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _age_session(client, **fields):
    session = client.session
    session.update(fields)
    session.save()


def test_inactive_session_is_ended(make_user, sign_in, settings):
    client = sign_in(make_user())
    client.get("/")
    _age_session(client, last_activity=time.time() - settings.SESSION_INACTIVITY_TIMEOUT - 1)
    response = client.get("/")
    assert response["Location"] == "/account/sign-in?ended=inactive"
    assert client.get("/")["Location"].startswith("/account/sign-in")


def test_activity_keeps_the_session_alive(make_user, sign_in, settings):
    client = sign_in(make_user())
    client.get("/")
    _age_session(client, last_activity=time.time() - settings.SESSION_INACTIVITY_TIMEOUT + 60)
    assert client.get("/").status_code == 200


def test_session_has_an_absolute_lifetime(make_user, sign_in, settings):
    client = sign_in(make_user())
    client.get("/")
    _age_session(client, signed_in_at=time.time() - settings.SESSION_ABSOLUTE_LIFETIME - 1)
    assert client.get("/")["Location"] == "/account/sign-in?ended=expired"


def test_deactivation_signs_the_user_out_everywhere(make_user):
    user = make_user(Role.INVESTIGATOR)
    admin = make_user(Role.ADMINISTRATOR)
    clients = []
    for _ in range(2):  # two browsers
        client = Client()
        client.post("/account/sign-in", {"email": user.email, "password": TEST_PASSWORD})
        clients.append(client)
    assert Session.objects.count() == 2
    user_deactivate(actor=admin, user=user, reason="Left the force")
    assert Session.objects.count() == 0
    for client in clients:
        assert client.get("/")["Location"].startswith("/account/sign-in")
    from django_otp import devices_for_user

    assert list(devices_for_user(user, confirmed=None)) == []  # second factors removed
    event = AuditEvent.objects.get(scope="account.is_active")
    assert event.details == {"sessions_ended": 2}
    assert event.justification == "Left the force"


def test_deactivated_user_cannot_sign_in_again(make_user, client):
    user = make_user()
    user_deactivate(actor=None, user=user, reason="Suspended")
    response = client.post("/account/sign-in", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_administrator_deactivates_through_the_page(make_user, sign_in):
    admin = make_user(Role.ADMINISTRATOR)
    target = make_user(Role.INTAKE_OFFICER)
    client = sign_in(admin)
    page = client.post(f"/account/users/{target.pk}/deactivate", {"reason": ""})
    assert "Enter why this account is being deactivated" in page.content.decode()
    response = client.post(f"/account/users/{target.pk}/deactivate", {"reason": "Left"})
    assert response["Location"] == "/account/users/"
    target.refresh_from_db()
    assert target.is_active is False
