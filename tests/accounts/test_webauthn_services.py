"""WebAuthn services against a software authenticator (EC P-256, "none" attestation)."""

from __future__ import annotations

import time

import pytest
from django.test import RequestFactory
from webauthn.helpers import bytes_to_base64url

from comeforward.accounts import webauthn_session
from comeforward.accounts.models import WebAuthnDevice
from comeforward.accounts.webauthn_services import (
    WebAuthnAuthenticationRejected,
    WebAuthnCredentialAlreadyRegistered,
    WebAuthnInvalidName,
    WebAuthnNoKeys,
    WebAuthnRegistrationRejected,
    WebAuthnRoleNotAllowed,
    WebAuthnSignCountRegression,
    WebAuthnUnknownCredential,
    user_handle,
    webauthn_authentication_options,
    webauthn_device_authenticate,
    webauthn_device_register,
    webauthn_device_remove,
    webauthn_registration_options,
)
from comeforward.accounts.webauthn_session import RelyingParty, WebAuthnChallengeMissing
from comeforward.audit.models import AuditEvent
from comeforward.roles import Role

from .webauthn_authenticator import SoftwareAuthenticator

pytestmark = pytest.mark.django_db

RP = RelyingParty(id="testserver", origin="http://testserver")
CHALLENGE = b"c" * 32
CHALLENGE_B64 = bytes_to_base64url(CHALLENGE)


def _register(user, key: SoftwareAuthenticator, *, name="Blue key", challenge=CHALLENGE, **kw):
    options = webauthn_registration_options(user=user, rp=RP, challenge=challenge)
    return webauthn_device_register(
        actor=user, rp=RP, challenge=challenge, credential=key.create(options, **kw), name=name
    )


def _assert(user, key: SoftwareAuthenticator, *, challenge=b"a" * 32, **kw):
    options = webauthn_authentication_options(user=user, rp=RP, challenge=challenge)
    return webauthn_device_authenticate(
        user=user, rp=RP, challenge=challenge, credential=key.get(options, **kw)
    )


# --- registration -------------------------------------------------------------------------


def test_registration_options_name_the_rp_user_and_challenge(make_user):
    user = make_user(Role.SUPERVISOR, full_name="Sam Supervisor", email="sam@test.example")
    options = webauthn_registration_options(user=user, rp=RP, challenge=CHALLENGE)
    assert options["rp"] == {"id": "testserver", "name": "Come forward"}
    assert options["user"] == {
        "id": bytes_to_base64url(user_handle(user)),
        "name": "sam@test.example",
        "displayName": "Sam Supervisor",
    }
    assert options["challenge"] == CHALLENGE_B64
    assert options["attestation"] == "none"
    assert options["authenticatorSelection"] == {
        "residentKey": "discouraged",
        "requireResidentKey": False,
        "userVerification": "preferred",
    }
    assert [p["alg"] for p in options["pubKeyCredParams"]] == [-7, -8, -257]
    assert options["excludeCredentials"] == []


def test_user_handle_is_stable_opaque_and_per_user(make_user):
    first, second = make_user(Role.SUPERVISOR), make_user(Role.ADMINISTRATOR)
    assert user_handle(first) == user_handle(first)
    assert len(user_handle(first)) == 32
    assert user_handle(first) != user_handle(second)
    assert first.email.encode() not in user_handle(first)


def test_registering_a_key_stores_it_and_audits_an_alteration(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    device = _register(user, key, name="  Blue   key ", transports=("usb", "nfc", "bogus"))
    device.refresh_from_db()
    assert (device.user, device.name, device.confirmed) == (user, "Blue key", True)
    assert device.credential_id == key.credential_id_b64
    assert bytes(device.public_key) == key.cose_public_key()
    assert device.sign_count == 0
    assert device.transports == ["nfc", "usb"]
    assert device.aaguid == "00000000-0000-0000-0000-000000000000"
    assert device.persistent_id == f"accounts.webauthndevice/{device.pk}"
    event = AuditEvent.objects.get()
    assert (event.operation, event.subject_type, event.subject_id, event.scope) == (
        "alter",
        "user",
        str(user.pk),
        "account.mfa",
    )
    assert event.outcome == "success"
    assert event.details == {"device": "webauthn", "device_id": device.pk, "change": "registered"}


def test_administrators_may_register_keys(make_user):
    assert _register(make_user(Role.ADMINISTRATOR), SoftwareAuthenticator()).pk is not None


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.ANALYST, Role.INTAKE_OFFICER])
def test_other_roles_cannot_register_keys(make_user, role):
    user = make_user(role)
    with pytest.raises(WebAuthnRoleNotAllowed) as error:
        webauthn_registration_options(user=user, rp=RP, challenge=CHALLENGE)
    assert error.value.code == "WEBAUTHN_ROLE_NOT_ALLOWED"
    options = {"rp": {"id": "testserver"}, "challenge": CHALLENGE_B64}
    with pytest.raises(WebAuthnRoleNotAllowed):
        webauthn_device_register(
            actor=user,
            rp=RP,
            challenge=CHALLENGE,
            credential=SoftwareAuthenticator().create(options),
            name="Key",
        )
    assert WebAuthnDevice.objects.count() == 0


def test_existing_keys_are_excluded_from_new_registrations(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    _register(user, key)
    options = webauthn_registration_options(user=user, rp=RP, challenge=CHALLENGE)
    assert options["excludeCredentials"] == [
        {"id": key.credential_id_b64, "type": "public-key", "transports": ["usb"]}
    ]


@pytest.mark.parametrize(
    "tamper",
    [
        {"origin": "https://phishing.example"},
        {"rp_id": "phishing.example"},
    ],
    ids=["wrong-origin", "wrong-rp-id"],
)
def test_registration_from_another_origin_or_rp_is_rejected(make_user, tamper):
    user = make_user(Role.SUPERVISOR)
    with pytest.raises(WebAuthnRegistrationRejected) as error:
        _register(user, SoftwareAuthenticator(), **tamper)
    assert error.value.code == "WEBAUTHN_REGISTRATION_REJECTED"
    assert WebAuthnDevice.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_registration_answering_another_challenge_is_rejected(make_user):
    user = make_user(Role.SUPERVISOR)
    options = webauthn_registration_options(user=user, rp=RP, challenge=b"x" * 32)
    credential = SoftwareAuthenticator().create(options)
    with pytest.raises(WebAuthnRegistrationRejected):
        webauthn_device_register(
            actor=user, rp=RP, challenge=CHALLENGE, credential=credential, name="Key"
        )


@pytest.mark.parametrize("credential", [None, "text", {}, {"id": "x", "rawId": "!!"}])
def test_malformed_registration_is_rejected_without_a_traceback(make_user, credential):
    user = make_user(Role.SUPERVISOR)
    with pytest.raises(WebAuthnRegistrationRejected):
        webauthn_device_register(
            actor=user, rp=RP, challenge=CHALLENGE, credential=credential, name="Key"
        )


def test_the_same_key_cannot_be_registered_twice(make_user):
    user, other = make_user(Role.SUPERVISOR), make_user(Role.ADMINISTRATOR)
    key = SoftwareAuthenticator()
    _register(user, key)
    with pytest.raises(WebAuthnCredentialAlreadyRegistered) as error:
        _register(other, key)
    assert error.value.code == "WEBAUTHN_CREDENTIAL_ALREADY_REGISTERED"
    assert WebAuthnDevice.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for this security key"),
        ("  ", "Enter a name for this security key"),
        ("k" * 65, "The name must be 64 characters or fewer"),
    ],
)
def test_a_key_needs_a_name(make_user, name, message):
    user = make_user(Role.SUPERVISOR)
    with pytest.raises(WebAuthnInvalidName) as error:
        _register(user, SoftwareAuthenticator(), name=name)
    assert error.value.message == message
    assert WebAuthnDevice.objects.count() == 0


def test_a_64_character_name_is_accepted(make_user):
    device = _register(make_user(Role.SUPERVISOR), SoftwareAuthenticator(), name="k" * 64)
    assert device.name == "k" * 64


# --- authentication -----------------------------------------------------------------------


def test_authentication_options_allow_only_the_users_own_keys(make_user):
    user, other = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    mine, theirs = SoftwareAuthenticator(), SoftwareAuthenticator()
    _register(user, mine)
    _register(other, theirs)
    options = webauthn_authentication_options(user=user, rp=RP, challenge=CHALLENGE)
    assert options["rpId"] == "testserver"
    assert options["challenge"] == CHALLENGE_B64
    assert options["userVerification"] == "preferred"
    assert options["allowCredentials"] == [
        {"id": mine.credential_id_b64, "type": "public-key", "transports": ["usb"]}
    ]


def test_no_keys_no_authentication_options(make_user):
    with pytest.raises(WebAuthnNoKeys) as error:
        webauthn_authentication_options(user=make_user(Role.SUPERVISOR), rp=RP, challenge=CHALLENGE)
    assert error.value.code == "WEBAUTHN_NO_KEYS"


def test_a_signed_assertion_passes_and_advances_the_counter(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    registered = _register(user, key)
    audit_count = AuditEvent.objects.count()
    device = _assert(user, key)
    assert device.pk == registered.pk
    device.refresh_from_db()
    assert device.sign_count == 1
    assert device.last_used_at is not None
    _assert(user, key)
    device.refresh_from_db()
    assert device.sign_count == 2
    assert AuditEvent.objects.count() == audit_count  # like TOTP: using a factor is not logged


def test_a_replayed_or_equal_counter_is_refused_as_a_possible_clone(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    device = _register(user, key)
    _assert(user, key, count=5)
    with pytest.raises(WebAuthnSignCountRegression) as error:
        _assert(user, key, count=5)
    assert error.value.code == "WEBAUTHN_SIGN_COUNT_REGRESSION"
    assert error.value.details == {"device_id": device.pk, "stored": 5, "presented": 5}
    with pytest.raises(WebAuthnSignCountRegression):
        _assert(user, key, count=3)
    device.refresh_from_db()
    assert device.sign_count == 5
    denied = AuditEvent.objects.filter(outcome="denied").order_by("seq")
    assert [e.details for e in denied] == [
        {
            "device": "webauthn",
            "refused": "sign_count_regression",
            "device_id": device.pk,
            "stored": 5,
            "presented": 5,
        },
        {
            "device": "webauthn",
            "refused": "sign_count_regression",
            "device_id": device.pk,
            "stored": 5,
            "presented": 3,
        },
    ]
    assert {(e.operation, e.scope, e.subject_id) for e in denied} == {
        ("alter", "account.mfa", str(user.pk))
    }


def test_keys_without_a_counter_always_report_zero_and_pass(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    _register(user, key)
    for _ in range(2):
        assert _assert(user, key, count=0).sign_count == 0


def test_a_counter_that_starts_counting_after_zero_passes(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    _register(user, key)
    assert _assert(user, key, count=0).sign_count == 0
    assert _assert(user, key, count=1).sign_count == 1


def test_another_users_key_is_not_accepted(make_user):
    user, other = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    mine, theirs = SoftwareAuthenticator(), SoftwareAuthenticator()
    _register(user, mine)
    _register(other, theirs)
    options = webauthn_authentication_options(user=user, rp=RP, challenge=CHALLENGE)
    options["allowCredentials"].append({"id": theirs.credential_id_b64, "type": "public-key"})
    with pytest.raises(WebAuthnUnknownCredential) as error:
        webauthn_device_authenticate(
            user=user, rp=RP, challenge=CHALLENGE, credential=theirs.get(options)
        )
    assert error.value.code == "WEBAUTHN_UNKNOWN_CREDENTIAL"


def test_a_signature_by_another_private_key_is_rejected(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    device = _register(user, key)
    impostor = SoftwareAuthenticator(credential_id=key.credential_id)  # same ID, new key pair
    with pytest.raises(WebAuthnAuthenticationRejected) as error:
        _assert(user, impostor)
    assert error.value.code == "WEBAUTHN_AUTHENTICATION_REJECTED"
    device.refresh_from_db()
    assert device.sign_count == 0


@pytest.mark.parametrize(
    "tamper",
    [{"origin": "https://phishing.example"}, {"rp_id": "phishing.example"}],
    ids=["wrong-origin", "wrong-rp-id"],
)
def test_an_assertion_for_another_site_is_rejected(make_user, tamper):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    _register(user, key)
    with pytest.raises(WebAuthnAuthenticationRejected):
        _assert(user, key, **tamper)


def test_an_assertion_for_another_challenge_is_rejected(make_user):
    user = make_user(Role.SUPERVISOR)
    key = SoftwareAuthenticator()
    _register(user, key)
    options = webauthn_authentication_options(user=user, rp=RP, challenge=b"x" * 32)
    with pytest.raises(WebAuthnAuthenticationRejected):
        webauthn_device_authenticate(
            user=user, rp=RP, challenge=CHALLENGE, credential=key.get(options)
        )


@pytest.mark.parametrize("credential", [None, {}, {"rawId": 7}, {"rawId": "%%%"}])
def test_malformed_assertions_are_rejected(make_user, credential):
    user = make_user(Role.SUPERVISOR)
    _register(user, SoftwareAuthenticator())
    with pytest.raises(WebAuthnAuthenticationRejected):
        webauthn_device_authenticate(user=user, rp=RP, challenge=CHALLENGE, credential=credential)


# --- removal ------------------------------------------------------------------------------


def test_removing_a_key_audits_it(make_user):
    user = make_user(Role.SUPERVISOR)
    device = _register(user, SoftwareAuthenticator())
    device_id = device.pk
    webauthn_device_remove(actor=user, device=device)
    assert WebAuthnDevice.objects.count() == 0
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope, event.subject_id) == (
        "alter",
        "account.mfa",
        str(user.pk),
    )
    assert event.details == {"device": "webauthn", "device_id": device_id, "change": "removed"}


def test_nobody_removes_another_users_key(make_user):
    owner, other = make_user(Role.SUPERVISOR), make_user(Role.ADMINISTRATOR)
    device = _register(owner, SoftwareAuthenticator())
    with pytest.raises(WebAuthnUnknownCredential):
        webauthn_device_remove(actor=other, device=device)
    assert WebAuthnDevice.objects.filter(pk=device.pk).exists()


# --- relying party and challenges -----------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "secure", "rp_id", "origin"),
    [
        ("localhost:8000", False, "localhost", "http://localhost:8000"),
        ("localhost", True, "localhost", "https://localhost"),
        ("127.0.0.1:9", False, "127.0.0.1", "http://127.0.0.1:9"),
    ],
)
def test_relying_party_is_the_host_without_port(settings, host, secure, rp_id, origin):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    assert webauthn_session.relying_party_for(request) == RelyingParty(id=rp_id, origin=origin)


def test_challenges_are_single_use_and_bound_to_their_purpose():
    session: dict = {}
    issued = webauthn_session.challenge_issue(session, webauthn_session.REGISTER)
    assert len(issued) == 64
    assert webauthn_session.challenge_take(session, webauthn_session.REGISTER) == issued
    with pytest.raises(WebAuthnChallengeMissing) as error:
        webauthn_session.challenge_take(session, webauthn_session.REGISTER)
    assert error.value.code == "WEBAUTHN_CHALLENGE_MISSING"
    webauthn_session.challenge_issue(session, webauthn_session.REGISTER)
    with pytest.raises(WebAuthnChallengeMissing):
        webauthn_session.challenge_take(session, webauthn_session.AUTHENTICATE)
    assert session == {}  # a wrong-purpose attempt uses the challenge up too


def test_a_new_challenge_replaces_the_old_one():
    session: dict = {}
    first = webauthn_session.challenge_issue(session, webauthn_session.AUTHENTICATE)
    second = webauthn_session.challenge_issue(session, webauthn_session.AUTHENTICATE)
    assert first != second
    assert webauthn_session.challenge_take(session, webauthn_session.AUTHENTICATE) == second


def test_old_challenges_expire():
    session: dict = {}
    webauthn_session.challenge_issue(session, webauthn_session.AUTHENTICATE)
    session[webauthn_session.SESSION_KEY]["issued_at"] = (
        time.time() - webauthn_session.CHALLENGE_LIFETIME_SECONDS - 1
    )
    with pytest.raises(WebAuthnChallengeMissing) as error:
        webauthn_session.challenge_take(session, webauthn_session.AUTHENTICATE)
    assert error.value.details == {"purpose": "authenticate", "lifetime_seconds": 300}
