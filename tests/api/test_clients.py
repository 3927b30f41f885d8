"""Integration clients: registered by an administrator, token shown once and stored hashed,
refused when unknown, expired, revoked or calling from outside the allow-list (issue 18.2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from comeforward.api import services
from comeforward.api.models import ApiClient
from comeforward.audit.models import AuditEvent
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_token_is_stored_only_as_its_sha256(make_client):
    client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    assert token.startswith(f"cf_{client.token_prefix}_") and len(token) > 50
    stored = ApiClient.objects.get(pk=client.pk)
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ApiClient.objects.values()), default=str)


def test_the_principal_cannot_sign_in_and_registration_is_audited(make_client):
    client, _token = make_client(Role.OFFENDER_MANAGER, scopes=["register:read"])
    principal = client.principal
    assert principal.role == Role.OFFENDER_MANAGER and not principal.has_usable_password()
    event = AuditEvent.objects.filter(subject_type="api_client", subject_id=str(client.pk)).get()
    assert event.details["scopes"] == ["register:read"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["cases:delete"]}, "scopes"),
        ({"scopes": ["audit:read"]}, "scopes"),  # only an administrator client
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, "expires_at"),
        ({"expires_at": timezone.now() + dt.timedelta(days=500)}, "expires_at"),
        ({"name": " "}, "name"),
    ],
)
def test_invalid_registrations_are_refused_and_change_nothing(make_client, fields, field):
    role = Role.SUPERVISOR
    with pytest.raises(services.ApiClientInvalid) as refusal:
        make_client(role, **fields)
    assert field in refusal.value.details["fields"]
    assert ApiClient.objects.count() == 0


def test_a_bad_allow_list_is_refused(make_client):
    with pytest.raises(services.ApiClientInvalid) as refusal:
        make_client(Role.SUPERVISOR, ip_allowlist=["not-an-address"])
    assert refusal.value.details == {"ip_allowlist": ["not-an-address"]}


def test_an_administrator_registers_clients_of_their_own_organisation_only(make_user):
    other = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(Exception) as refusal:
        services.api_client_create(
            actor=admin,
            name="x",
            purpose="y",
            organisation=other,
            role=Role.SUPERVISOR,
            scopes=["cases:read"],
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
    assert refusal.value.code == "USER_NOT_IN_YOUR_ORGANISATION"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "cf_000000000000_" + t.split("_", 2)[2],
        lambda t: "nonsense",
        lambda t: t + "x" * 200,
    ],
)
def test_a_wrong_token_is_refused(make_client, api, mangle):
    _client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    response = api(mangle(token)).get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_INVALID"


def test_an_expired_client_is_refused(make_client, api):
    client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    ApiClient.objects.filter(pk=client.pk).update(expires_at=timezone.now())
    response = api(token).get("/api/v1/cases")
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_EXPIRED")


def test_a_revoked_client_is_refused_at_once(make_client, make_user, api):
    admin = make_user(Role.ADMINISTRATOR)
    client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    assert api(token).get("/api/v1/cases").status_code == 200
    services.api_client_revoke(actor=admin, client=client, reason="Replaced")
    response = api(token).get("/api/v1/cases")
    assert (response.status_code, response.json()["code"]) == (401, "CLIENT_REVOKED")
    client.principal.refresh_from_db()
    assert client.principal.is_active is False


def test_the_ip_allow_list_is_enforced(make_client, api):
    _client, token = make_client(
        Role.SUPERVISOR, scopes=["cases:read"], ip_allowlist=["192.0.2.0/24"]
    )
    inside = api(token).get("/api/v1/cases", REMOTE_ADDR="192.0.2.7")
    outside = api(token).get("/api/v1/cases", REMOTE_ADDR="198.51.100.1")
    assert inside.status_code == 200
    assert (outside.status_code, outside.json()["code"]) == (403, "ADDRESS_NOT_ALLOWED")


def test_a_call_is_audited_with_client_scope_and_records(make_client, api, police_force):
    from ..factories import CaseFactory

    case = CaseFactory(owning_organisation=police_force)
    client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    assert api(token).get(f"/api/v1/cases/{case.pk}").status_code == 200
    event = AuditEvent.objects.filter(subject_type="api_call").latest("seq")
    assert event.operation == "consult"
    assert event.scope == "api:cases:read"
    assert event.actor_email == client.principal.email
    assert event.details["client"] == client.token_prefix
    assert event.details["records"] == [case.reference]
    assert event.justification == f"Integration client {client.name}: {client.purpose}"


def test_a_refused_scope_is_audited_as_denied(make_client, api):
    client, token = make_client(Role.SUPERVISOR, scopes=["tasks:read"])
    assert api(token).get("/api/v1/cases").status_code == 403
    event = AuditEvent.objects.filter(subject_type="api_call").latest("seq")
    assert (event.outcome, event.scope) == ("denied", "api:cases:read")


# --- the administrators' pages ----------------------------------------------------------


def test_an_administrator_registers_a_client_and_sees_the_token_once(make_user, sign_in):
    admin = make_user(Role.ADMINISTRATOR)
    browser = sign_in(admin)
    expiry = (timezone.localdate() + dt.timedelta(days=90)).strftime("%d/%m/%Y")
    response = browser.post(
        "/account/api-clients/new",
        {
            "name": "Niche sync",
            "purpose": "Nightly case sync",
            "role": Role.SUPERVISOR,
            "scopes": ["cases:read", "tasks:read"],
            "expires_on": expiry,
            "ip_allowlist": "192.0.2.10\n",
        },
    )
    assert response.status_code == 200
    client = ApiClient.objects.get()
    page = response.content.decode()
    token = page.split('data-testid="api-token">', 1)[1].split("<", 1)[0]
    assert hashlib.sha256(token.encode()).hexdigest() == client.token_sha256
    assert client.ip_allowlist == ["192.0.2.10/32"] and client.created_by == admin
    listing = browser.get("/account/api-clients/").content.decode()
    assert "Niche sync" in listing and token not in listing


def test_the_form_shows_refusals_as_field_errors(make_user, sign_in):
    browser = sign_in(make_user(Role.ADMINISTRATOR))
    response = browser.post(
        "/account/api-clients/new",
        {
            "name": "Audit",
            "purpose": "DPO",
            "role": Role.SUPERVISOR,
            "scopes": ["audit:read"],
            "expires_on": "01/01/2099",
        },
    )
    assert response.status_code == 200
    assert "Only a client acting as an administrator" in response.content.decode()
    assert ApiClient.objects.count() == 0


def test_an_administrator_revokes_a_client(make_user, sign_in, make_client):
    admin = make_user(Role.ADMINISTRATOR)
    client, _token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    response = sign_in(admin).post(
        f"/account/api-clients/{client.pk}/revoke", {"reason": "No longer used"}
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None and client.revoked_reason == "No longer used"


@pytest.mark.parametrize("url", ["/account/api-clients/", "/account/api-clients/new"])
def test_only_administrators_open_the_client_pages(make_user, sign_in, url):
    for role in Role.values:
        status = sign_in(make_user(role)).get(url).status_code
        assert status == (200 if role == Role.ADMINISTRATOR else 403), role


def test_an_administrator_of_another_organisation_cannot_revoke(make_user, sign_in, make_client):
    other = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    client, _token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    outsider = make_user(Role.ADMINISTRATOR, organisation=other)
    response = sign_in(outsider).post(f"/account/api-clients/{client.pk}/revoke", {"reason": "x"})
    assert response.status_code == 404
    client.refresh_from_db()
    assert client.revoked_at is None


# --- the command line ----------------------------------------------------------------------


def test_the_command_creates_lists_and_revokes(police_force, capsys, api):
    expiry = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    call_command(
        "api_client",
        "create",
        "--organisation",
        police_force.code,
        "--name",
        "Athena",
        "--purpose",
        "Case sync",
        "--role",
        Role.SUPERVISOR,
        "--scope",
        "cases:read",
        "--expires",
        expiry,
    )
    created = json.loads(capsys.readouterr().out)
    assert api(created["token"]).get("/api/v1/cases").status_code == 200
    call_command("api_client", "list")
    listed = json.loads(capsys.readouterr().out)
    assert [c["prefix"] for c in listed["clients"]] == [created["prefix"]]
    assert "token" not in listed["clients"][0]
    call_command("api_client", "revoke", created["prefix"], "--reason", "Test over")
    assert json.loads(capsys.readouterr().out)["revoked_at"]
    assert api(created["token"]).get("/api/v1/cases").status_code == 401


def test_the_command_refuses_with_the_error_json(police_force, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "api_client",
            "create",
            "--organisation",
            police_force.code,
            "--name",
            "X",
            "--purpose",
            "Y",
            "--role",
            Role.SUPERVISOR,
            "--scope",
            "nope:nope",
            "--expires",
            "2099-01-01",
        )
    assert exit_.value.code == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "API_CLIENT_INVALID"
