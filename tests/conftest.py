"""Fixtures shared by the web-application tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from comeforward.accounts.roles import OrganisationType, Role

from .factories import DEFAULT_ORG_TYPE, OrganisationFactory, TotpDeviceFactory, UserFactory


@pytest.fixture
def police_force(db):
    return OrganisationFactory(
        name="Testshire Police", code="testshire-police", kind=OrganisationType.POLICE_FORCE
    )


@pytest.fixture
def make_user(db, police_force):
    """``make_user(Role.X, organisation=None)`` → a user with a confirmed TOTP device."""

    def make(role: str = Role.INVESTIGATOR, organisation=None, **fields):
        if organisation is None:
            kind = DEFAULT_ORG_TYPE[role]
            organisation = (
                police_force
                if kind == OrganisationType.POLICE_FORCE
                else OrganisationFactory(name=f"Test {kind}", code=f"test-{kind}", kind=kind)
            )
        user = UserFactory(role=role, organisation=organisation, **fields)
        TotpDeviceFactory(user=user)
        return user

    return make


@pytest.fixture
def sign_in():
    """``sign_in(user)`` → a test Client signed in *and* past MFA (as after the TOTP step)."""

    def signed_in(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
        return client

    return signed_in
