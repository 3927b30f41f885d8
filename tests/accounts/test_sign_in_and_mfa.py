"""Sign-in with email and password, then TOTP: nothing is reachable without both."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from comeforward.audit.models import AuditEvent
from comeforward.roles import Role

from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _password_step(client: Client, user, password: str = TEST_PASSWORD):
    return client.post("/account/sign-in", {"email": user.email.upper(), "password": password})


def test_passwords_are_hashed_with_argon2(make_user):
    user = make_user()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_pages_redirect_to_sign_in_when_signed_out(client):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in?next=%2Fcases%2F"


def test_password_alone_does_not_give_access(client, make_user):
    user = make_user()
    response = _password_step(client, user)
    assert response["Location"] == "/account/mfa/"
    for path in ("/", "/cases/", "/cases/search", "/audit/trail"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/account/mfa/", path


def test_wrong_code_is_refused_with_a_field_error(client, make_user):
    user = make_user()
    _password_step(client, user)
    response = client.post("/account/mfa/", {"code": "000000"})
    assert response.status_code == 200
    assert "The security code is not correct, or has expired" in response.content.decode()
    assert client.get("/")["Location"] == "/account/mfa/"


def test_malformed_code_gets_a_clear_message(client, make_user):
    _password_step(client, make_user())
    response = client.post("/account/mfa/", {"code": "12ab"})
    assert "Enter the 6-digit security code, like 123456" in response.content.decode()


def test_password_and_code_reach_the_home_page(client, make_user):
    user = make_user(Role.INVESTIGATOR)
    _password_step(client, user)
    response = client.post("/account/mfa/", {"code": _code(user.totpdevice_set.get())})
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Your cases" in home.content.decode()


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    user = make_user()
    response = _password_step(client, user, "not the password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_new_user_without_a_device_must_enrol(client, police_force):
    from ..factories import UserFactory

    user = UserFactory(organisation=police_force)
    _password_step(client, user)
    assert client.get("/account/mfa/")["Location"] == "/account/mfa/setup"
    page = client.get("/account/mfa/setup")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # QR code inline, no third-party image service
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/mfa/setup", {"code": _code(device)})
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(scope="account.mfa", subject_id=str(user.pk)).count() == 1
    assert client.get("/").status_code == 200


def test_repeated_failures_lock_the_account(client, make_user):
    user = make_user()
    for _ in range(5):
        _password_step(client, user, "wrong password")
    response = _password_step(client, user)  # even the right password is now refused
    assert response.status_code == 429
    assert "locked" in response.content.decode()


def test_sign_out_ends_the_session(make_user, sign_in):
    client = sign_in(make_user())
    assert client.get("/").status_code == 200
    client.post("/account/sign-out")
    assert client.get("/")["Location"].startswith("/account/sign-in")


def test_sign_out_needs_post(make_user, sign_in):
    client = sign_in(make_user())
    assert client.get("/account/sign-out").status_code == 405


def test_session_key_rotates_when_the_second_factor_completes(client, make_user):
    """The key issued after the password alone must not work once MFA completes (issue 11.8;
    ASVS 7.2.4), and the new key stays registered so that deactivation still ends it."""
    from django.conf import settings

    from comeforward.accounts.models import UserSession

    user = make_user(Role.INVESTIGATOR)
    _password_step(client, user)
    pre_mfa_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post("/account/mfa/", {"code": _code(user.totpdevice_set.get())})
    assert response["Location"] == "/"
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != pre_mfa_key
    assert client.get("/").status_code == 200
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = pre_mfa_key
    assert replay.get("/")["Location"].startswith("/account/sign-in")
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        new_key
    ]
