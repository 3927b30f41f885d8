"""WebAuthn pages and JSON endpoints: roles, the MFA step with a key, single-use challenges."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from comeforward.accounts.models import WebAuthnDevice
from comeforward.audit.models import AuditEvent
from comeforward.roles import PRIVILEGED_ROLES, Role

from ..factories import TEST_PASSWORD
from ..web.matrix import assert_matrix
from .webauthn_authenticator import SoftwareAuthenticator

pytestmark = pytest.mark.django_db

PRIVILEGED = frozenset(PRIVILEGED_ROLES)
POST_ONLY = (
    "/account/security-keys/register/options",
    "/account/security-keys/register/verify",
)


def _post_json(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _register_through_the_pages(client: Client, key: SoftwareAuthenticator, name="Blue key"):
    options = _post_json(client, "/account/security-keys/register/options").json()["publicKey"]
    return _post_json(
        client,
        "/account/security-keys/register/verify",
        {"name": name, "credential": key.create(options)},
    )


def _password_step(client: Client, user):
    response = client.post("/account/sign-in", {"email": user.email, "password": TEST_PASSWORD})
    assert response["Location"] == "/account/mfa/"


def _supervisor_with_key(make_user, sign_in):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    assert _register_through_the_pages(sign_in(user), key).status_code == 200
    return user, key


def test_security_keys_page_is_for_privileged_roles_only(make_user, sign_in):
    users = {role: make_user(role) for role in Role.values}
    assert_matrix({"/account/security-keys": PRIVILEGED}, users, sign_in)


@pytest.mark.parametrize("role", sorted(set(Role.values) - PRIVILEGED))
def test_other_roles_cannot_use_the_registration_endpoints(make_user, sign_in, role):
    user = make_user(role)
    client = sign_in(user)
    for url in POST_ONLY:
        assert _post_json(client, url).status_code == 403, url
    assert client.post("/account/security-keys", {"name": "Key"}).status_code == 403
    device = WebAuthnDevice.objects.create(
        user=user, name="Old", credential_id="abc", public_key=b""
    )
    assert client.post(f"/account/security-keys/{device.pk}/remove").status_code == 403
    assert WebAuthnDevice.objects.filter(pk=device.pk).exists()


def test_registration_endpoints_need_post(make_user, sign_in):
    client = sign_in(make_user(Role.SUPERVISOR))
    for url in POST_ONLY:
        assert client.get(url).status_code == 405, url


def test_password_alone_does_not_reach_the_security_keys_page(client, make_user):
    _password_step(client, make_user(Role.ADMINISTRATOR))
    assert client.get("/account/security-keys")["Location"] == "/account/mfa/"
    assert _post_json(client, POST_ONLY[0])["Location"] == "/account/mfa/"


@pytest.mark.parametrize("role", sorted(PRIVILEGED))
def test_privileged_user_adds_a_key_through_the_endpoints(make_user, sign_in, role):
    user = make_user(role)
    client = sign_in(user)
    page = client.get("/account/security-keys").content.decode()
    assert "You have not added a security key." in page
    assert 'src="/static/accounts/webauthn.js"' in page
    response = _register_through_the_pages(client, SoftwareAuthenticator(), name="Lanyard key")
    assert response.status_code == 200
    assert response.json() == {"redirect": "/account/security-keys"}
    device = WebAuthnDevice.objects.get(user=user)
    assert device.name == "Lanyard key"
    page = client.get("/account/security-keys").content.decode()
    assert "Your security key ‘Lanyard key’ is added" in page
    assert "Not used yet" in page
    assert AuditEvent.objects.filter(scope="account.mfa", subject_id=str(user.pk)).count() == 1


def test_registration_answers_are_single_use(make_user, sign_in):
    client = sign_in(make_user(Role.SUPERVISOR))
    key = SoftwareAuthenticator()
    options = _post_json(client, POST_ONLY[0]).json()["publicKey"]
    body = {"name": "Key", "credential": key.create(options)}
    assert _post_json(client, POST_ONLY[1], body).status_code == 200
    replay = _post_json(client, POST_ONLY[1], body)
    assert replay.status_code == 400
    assert replay.json()["error"]["code"] == "WEBAUTHN_CHALLENGE_MISSING"


def test_registration_errors_are_json_with_a_code(make_user, sign_in):
    client = sign_in(make_user(Role.SUPERVISOR))
    no_challenge = _post_json(client, POST_ONLY[1], {"name": "Key", "credential": {}})
    assert no_challenge.status_code == 400
    assert no_challenge.json()["error"]["code"] == "WEBAUTHN_CHALLENGE_MISSING"
    _post_json(client, POST_ONLY[0])
    not_json = client.post(POST_ONLY[1], "not json", content_type="application/json")
    assert not_json.status_code == 400
    assert not_json.json() == {
        "error": {"code": "INVALID_JSON", "message": "The request body is not JSON", "details": {}}
    }
    options = _post_json(client, POST_ONLY[0]).json()["publicKey"]
    forged = SoftwareAuthenticator().create(options, origin="https://phishing.example")
    rejected = _post_json(client, POST_ONLY[1], {"name": "Key", "credential": forged})
    assert rejected.status_code == 400
    assert rejected.json()["error"]["code"] == "WEBAUTHN_REGISTRATION_REJECTED"
    assert WebAuthnDevice.objects.count() == 0


def test_without_javascript_the_page_explains_what_is_needed(make_user, sign_in):
    client = sign_in(make_user(Role.SUPERVISOR))
    empty = client.post("/account/security-keys", {"name": ""}).content.decode()
    assert "Enter a name for this security key" in empty
    named = client.post("/account/security-keys", {"name": "Key"}).content.decode()
    assert "Turn on JavaScript in your browser to add a security key" in named


def test_removing_a_key_from_the_page(make_user, sign_in):
    user, _key = _supervisor_with_key(make_user, sign_in)
    other, _ = _supervisor_with_key(make_user, sign_in)
    client = sign_in(user)
    theirs = WebAuthnDevice.objects.get(user=other)
    assert client.post(f"/account/security-keys/{theirs.pk}/remove").status_code == 404
    mine = WebAuthnDevice.objects.get(user=user)
    assert client.get(f"/account/security-keys/{mine.pk}/remove").status_code == 405
    response = client.post(f"/account/security-keys/{mine.pk}/remove")
    assert response["Location"] == "/account/security-keys"
    assert list(WebAuthnDevice.objects.values_list("user", flat=True)) == [other.pk]


def test_removing_the_key_this_session_was_verified_with_asks_for_the_code(
    client, make_user, sign_in
):
    user, key = _supervisor_with_key(make_user, sign_in)
    _password_step(client, user)
    options = _post_json(client, "/account/mfa/security-key/options").json()["publicKey"]
    _post_json(client, "/account/mfa/security-key/verify", {"credential": key.get(options)})
    device = WebAuthnDevice.objects.get(user=user)
    response = client.post(f"/account/security-keys/{device.pk}/remove")
    assert response["Location"] == "/account/security-keys"
    assert client.get("/account/security-keys")["Location"] == "/account/mfa/"
    page = client.get("/account/mfa/").content.decode()
    assert "You signed in with it, so enter the code from your authenticator app" in page
    assert "Use your security key" not in page
    assert client.session["next"] == "/account/security-keys"


# --- the MFA step ---------------------------------------------------------------------------


def test_mfa_page_offers_the_key_only_to_users_with_one(client, make_user, sign_in):
    user, _key = _supervisor_with_key(make_user, sign_in)
    _password_step(client, user)
    page = client.get("/account/mfa/").content.decode()
    assert "Use your security key" in page
    assert 'src="/static/accounts/webauthn.js"' in page
    other = Client()
    _password_step(other, make_user(Role.SUPERVISOR))
    page = other.get("/account/mfa/").content.decode()
    assert "Use your security key" not in page
    assert "webauthn.js" not in page


def test_signing_in_with_a_key_instead_of_the_code(client, make_user, sign_in):
    user, key = _supervisor_with_key(make_user, sign_in)
    client.post("/account/sign-in?next=/cases/", {"email": user.email, "password": TEST_PASSWORD})
    assert client.get("/")["Location"] == "/account/mfa/"
    from django.conf import settings

    pre_mfa_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    options = _post_json(client, "/account/mfa/security-key/options").json()["publicKey"]
    assert [c["id"] for c in options["allowCredentials"]] == [key.credential_id_b64]
    response = _post_json(
        client, "/account/mfa/security-key/verify", {"credential": key.get(options)}
    )
    assert response.status_code == 200
    assert response.json() == {"redirect": "/cases/"}
    assert client.get("/").status_code == 200
    # The session key rotated when the key completed the second factor (issue 11.8).
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != pre_mfa_key
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = pre_mfa_key
    assert replay.get("/")["Location"].startswith("/account/sign-in")
    device = WebAuthnDevice.objects.get(user=user)
    assert client.session["otp_device_id"] == device.persistent_id
    assert device.sign_count == 1


def test_mfa_key_answers_are_single_use(client, make_user, sign_in):
    user, key = _supervisor_with_key(make_user, sign_in)
    _password_step(client, user)
    options = _post_json(client, "/account/mfa/security-key/options").json()["publicKey"]
    body = {"credential": key.get(options)}
    other = Client()
    _password_step(other, user)
    _post_json(other, "/account/mfa/security-key/options")  # another session's challenge
    stolen = _post_json(other, "/account/mfa/security-key/verify", body)
    assert stolen.status_code == 400
    assert stolen.json()["error"]["code"] == "WEBAUTHN_AUTHENTICATION_REJECTED"
    assert other.get("/")["Location"] == "/account/mfa/"
    assert _post_json(client, "/account/mfa/security-key/verify", body).status_code == 200
    replay = _post_json(client, "/account/mfa/security-key/verify", body)
    assert replay.json()["error"]["code"] == "WEBAUTHN_CHALLENGE_MISSING"


def test_a_cloned_key_does_not_get_through_the_mfa_step(client, make_user, sign_in):
    user, key = _supervisor_with_key(make_user, sign_in)
    _password_step(client, user)
    options = _post_json(client, "/account/mfa/security-key/options").json()["publicKey"]
    _post_json(client, "/account/mfa/security-key/verify", {"credential": key.get(options)})
    clone = Client()
    _password_step(clone, user)
    options = _post_json(clone, "/account/mfa/security-key/options").json()["publicKey"]
    response = _post_json(
        clone, "/account/mfa/security-key/verify", {"credential": key.get(options, count=1)}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "WEBAUTHN_SIGN_COUNT_REGRESSION"
    assert clone.get("/")["Location"] == "/account/mfa/"


def test_mfa_key_options_without_a_key_is_an_error(client, make_user):
    _password_step(client, make_user(Role.SUPERVISOR))
    response = _post_json(client, "/account/mfa/security-key/options")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "WEBAUTHN_NO_KEYS"


def test_mfa_key_endpoints_need_a_signed_in_user_and_post(client, make_user):
    for url in ("/account/mfa/security-key/options", "/account/mfa/security-key/verify"):
        assert _post_json(client, url)["Location"].startswith("/account/sign-in"), url
    _password_step(client, make_user(Role.SUPERVISOR))
    for url in ("/account/mfa/security-key/options", "/account/mfa/security-key/verify"):
        assert client.get(url).status_code == 405, url
