"""Pages for triage signing keys and the upload's signature errors (issue 11.4)."""

from __future__ import annotations

import pytest
from comeforward_triage.signing import ReportSigner, public_key_text

from comeforward.exhibits.models import Examination, TriageSigningKey
from comeforward.exhibits.signing_keys import triage_signing_key_register
from comeforward.roles import Role

from ..web.matrix import assert_matrix
from .test_pages import _upload
from .triage_files import TEST_SIGNER, triage_output

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(world):
    _, _, users = world
    return triage_signing_key_register(
        actor=users[Role.SUPERVISOR],
        name="DFU laptop 3",
        public_key=public_key_text(ReportSigner.generate().public_key),
    )


def test_permission_matrix(world, key, sign_in):
    _, _, users = world
    users = {role: users[role] for role in Role.values}
    assert_matrix(
        {
            "/triage-keys/": frozenset({Role.SUPERVISOR, Role.FORENSIC_EXAMINER}),
            "/triage-keys/new": frozenset({Role.SUPERVISOR}),
            f"/triage-keys/{key.pk}/revoke": frozenset({Role.SUPERVISOR}),
        },
        users,
        sign_in,
    )


def test_another_forces_key_is_not_listed_or_revocable(world, key, make_user, sign_in):
    _, _, users = world
    outsider = make_user(
        Role.SUPERVISOR, organisation=users["examiner of another force"].organisation
    )
    client = sign_in(outsider)
    page = client.get("/triage-keys/").content.decode()
    assert key.fingerprint not in page
    assert TEST_SIGNER.fingerprint in page  # the installation-wide key is listed for all
    assert client.get(f"/triage-keys/{key.pk}/revoke").status_code == 404
    assert client.post(f"/triage-keys/{key.pk}/revoke", {"reason": "x"}).status_code == 404
    key.refresh_from_db()
    assert not key.revoked


def test_supervisor_registers_a_workstation_key_by_pasting_it(world, sign_in):
    _, _, users = world
    client = sign_in(users[Role.SUPERVISOR])
    form = client.get("/triage-keys/new").content.decode()
    assert users[Role.FORENSIC_EXAMINER].full_name in form
    assert users["examiner of another force"].full_name not in form
    bad = client.post("/triage-keys/new", {"name": "Laptop", "public_key": "ed25519:AAAA"})
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()
    signer = ReportSigner.generate()
    response = client.post(
        "/triage-keys/new",
        {
            "name": "DFU laptop 4",
            "examiner": str(users[Role.FORENSIC_EXAMINER].pk),
            "public_key": public_key_text(signer.public_key) + "\n",
        },
    )
    assert response["Location"] == "/triage-keys/"
    key = TriageSigningKey.objects.get(fingerprint=signer.fingerprint)
    assert (key.name, key.examiner, key.registered_by) == (
        "DFU laptop 4",
        users[Role.FORENSIC_EXAMINER],
        users[Role.SUPERVISOR],
    )
    listing = sign_in(users[Role.FORENSIC_EXAMINER]).get("/triage-keys/").content.decode()
    assert signer.fingerprint in listing and "DFU laptop 4" in listing
    again = client.post(
        "/triage-keys/new", {"name": "Again", "public_key": public_key_text(signer.public_key)}
    )
    assert "already registered" in again.content.decode()


def test_supervisor_revokes_with_a_reason(world, key, sign_in):
    _, _, users = world
    client = sign_in(users[Role.SUPERVISOR])
    url = f"/triage-keys/{key.pk}/revoke"
    assert "Enter why the key is being revoked" in client.post(url, {}).content.decode()
    assert client.post(url, {"reason": "Laptop lost"})["Location"] == "/triage-keys/"
    key.refresh_from_db()
    assert (key.revoked, key.revocation_reason) == (True, "Laptop lost")
    assert "Revoked" in client.get("/triage-keys/").content.decode()


@pytest.mark.parametrize(
    ("signature", "code"),
    [
        (b"", "REPORT_UNSIGNED"),
        (b"{}", "REPORT_SIGNATURE_INVALID"),
        ("other key", "REPORT_SIGNER_UNKNOWN"),
    ],
)
def test_upload_refusals_are_govuk_errors_with_the_code(world, case_client, signature, code):
    case, exhibit, users = world
    report, listing = triage_output()
    if signature == "other key":
        from comeforward_triage.signing import sign_bytes

        signature = sign_bytes(ReportSigner.generate(), report)
    files = _upload(report, listing, signature)
    if not signature:
        del files["signature"]
    response = case_client(users[Role.FORENSIC_EXAMINER], case).post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination", files
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f"<code>{code}</code>" in html
    assert Examination.objects.count() == 0


def test_imported_result_shows_its_signer(world, case_client):
    case, exhibit, users = world
    client = case_client(users[Role.FORENSIC_EXAMINER], case)
    response = client.post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination", _upload(*triage_output())
    )
    assert response.status_code == 302
    detail = client.get(f"/cases/{case.pk}/exhibits/{exhibit.pk}/").content.decode()
    assert f'data-testid="signer-fingerprint">{TEST_SIGNER.fingerprint}<' in detail


def test_navigation_leads_supervisors_and_examiners_to_the_keys(world, sign_in):
    _, _, users = world
    for role, shown in (
        (Role.SUPERVISOR, True),
        (Role.FORENSIC_EXAMINER, True),
        (Role.INVESTIGATOR, False),
        (Role.ADMINISTRATOR, False),
    ):
        page = sign_in(users[role]).get("/").content.decode()
        assert ('href="/triage-keys/"' in page) is shown, role
