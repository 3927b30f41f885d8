"""13.7 transfer pages: export a record for another force (a signed file to download), import
it at the receiving force, accept (receipt to download) or refuse it with a reason, confirm
the receipt at the sending force; every step audited; offender managers and supervisors of
the force only; nothing works without the installation's transfer keys."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.core.files.uploadedfile import SimpleUploadedFile

from comeforward.audit.models import AuditEvent
from comeforward.register.models import RegisterRecord, RegisterTransfer
from comeforward.roles import OrganisationType, Role

from ..cases.helpers import client_with_reason
from ..factories import OrganisationFactory
from ..web.matrix import assert_matrix
from .conftest import cautioned_case, open_record

pytestmark = pytest.mark.django_db
D = dt.date
OM, SUP = Role.OFFENDER_MANAGER, Role.SUPERVISOR


@pytest.fixture
def transfer_keys(tmp_path, settings):
    key = Ed25519PrivateKey.generate()
    private = tmp_path / "force.key"
    public = tmp_path / "force.pub"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    settings.REGISTER_TRANSFER_SIGNING_KEY_FILE = str(private)
    settings.REGISTER_TRANSFER_TRUSTED_KEY_FILES = [str(public)]
    return key


@pytest.fixture
def two_forces(police_force, make_user, fixed_today):
    fixed_today(D(2025, 6, 1))
    other = OrganisationFactory(kind=OrganisationType.POLICE_FORCE, code="other-force")
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    return {
        "case": case,
        "record": record,
        "other": other,
        "sender": make_user(OM),
        "receiver": make_user(OM, organisation=other),
    }


def _export(sign_in, world, to_force="other-force", reason="Moved to the other force's area"):
    client = client_with_reason(sign_in, world["sender"], world["case"])
    return client.post(
        f"/register/{world['record'].pk}/transfer", {"to_force": to_force, "reason": reason}
    )


def _upload(content: bytes, prefix: str) -> dict:
    return {f"{prefix}-file": SimpleUploadedFile("t.json", content, "application/json")}


def _import(sign_in, world) -> tuple[object, RegisterTransfer]:
    exported = _export(sign_in, world)
    assert exported.status_code == 200
    client = sign_in(world["receiver"])
    response = client.post("/register/transfers/import", _upload(exported.content, "import"))
    assert response.status_code == 302, response.content.decode()[:2000]
    transfer = RegisterTransfer.objects.get(direction="in", status="pending")
    assert response["Location"] == f"/register/transfers/{transfer.pk}/"
    return client, transfer


def test_export_downloads_a_signed_file_and_audits_the_disclosure(
    sign_in, two_forces, transfer_keys
):
    response = _export(sign_in, two_forces)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="register-transfer-')
    envelope = json.loads(response.content)
    assert envelope["schema"] == "comeforward/register-transfer"
    assert envelope["payload"]["to_force"] == "other-force"
    audit = AuditEvent.objects.get(scope="register.transfer_export")
    assert audit.operation == "disclose"
    assert "Moved to the other force's area" in audit.justification
    two_forces["record"].refresh_from_db()
    assert two_forces["record"].active and not two_forces["record"].transferred_to
    # the same force, or no reason, is refused on the form and nothing is disclosed
    same = _export(sign_in, two_forces, to_force=two_forces["case"].owning_organisation.code)
    assert same.status_code == 400
    assert "Enter the code of another force" in same.content.decode()
    assert _export(sign_in, two_forces, reason="").status_code == 400
    assert AuditEvent.objects.filter(scope="register.transfer_export").count() == 1


def test_import_shows_the_file_then_accept_and_confirm_move_the_record(
    sign_in, two_forces, transfer_keys
):
    client, transfer = _import(sign_in, two_forces)
    page = client.get(f"/register/transfers/{transfer.pk}/").content.decode()
    assert "Possession of an indecent photograph of a child (CJA 1988 s.160)" in page
    assert "CJA1988_S160" not in page
    view = AuditEvent.objects.get(scope="register.transfer_view")
    assert view.operation == "consult" and view.justification
    assert not RegisterRecord.objects.filter(owning_organisation=two_forces["other"]).exists()

    response = client.post(f"/register/transfers/{transfer.pk}/accept")
    assert response.status_code == 302
    moved = RegisterRecord.objects.get(owning_organisation=two_forces["other"])
    assert moved.relevant_date == D(2025, 3, 1)
    page = client.get(f"/register/transfers/{transfer.pk}/").content.decode()
    assert 'data-testid="receipt"' in page and f"/register/{moved.pk}/" in page
    receipt = client.get(f"/register/transfers/{transfer.pk}/receipt")
    assert receipt.status_code == 200
    assert json.loads(receipt.content)["schema"] == "comeforward/register-transfer-receipt"
    other_force_user = sign_in(two_forces["sender"])  # not this transfer's force
    assert other_force_user.get(f"/register/transfers/{transfer.pk}/receipt").status_code == 404
    # accepting twice is refused, nothing more created
    client.post(f"/register/transfers/{transfer.pk}/accept")
    assert RegisterRecord.objects.filter(owning_organisation=two_forces["other"]).count() == 1

    sender = sign_in(two_forces["sender"])
    response = sender.post("/register/transfers/confirm", _upload(receipt.content, "receipt"))
    assert response.status_code == 302
    record = two_forces["record"]
    record.refresh_from_db()
    assert (record.transferred_to, record.active) == ("other-force", False)
    assert AuditEvent.objects.filter(scope="register.transferred").count() == 1


def test_refusal_needs_a_reason_deletes_the_held_file_and_is_audited(
    sign_in, two_forces, transfer_keys
):
    client, transfer = _import(sign_in, two_forces)
    url = f"/register/transfers/{transfer.pk}/refuse"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason for refusing the transfer" in response.content.decode()
    response = client.post(url, {"reason": "The person has not moved here: address unknown"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.envelope) == ("refused", "")
    assert transfer.reason == "The person has not moved here: address unknown"
    assert AuditEvent.objects.filter(scope="register.transfer_refuse").count() == 1
    page = client.get(f"/register/transfers/{transfer.pk}/").content.decode()
    assert "address unknown" in page and "Accept the transfer" not in page
    client.post(f"/register/transfers/{transfer.pk}/accept")
    assert not RegisterRecord.objects.filter(owning_organisation=two_forces["other"]).exists()
    assert client.post(url, {"reason": "again"}).status_code == 400  # only a pending one


def test_bad_files_are_refused_with_their_code(sign_in, two_forces, transfer_keys):
    client = sign_in(two_forces["receiver"])
    response = client.post("/register/transfers/import", _upload(b"not json", "import"))
    assert response.status_code == 400
    assert "REGISTER_TRANSFER_INVALID" in response.content.decode()
    exported = json.loads(_export(sign_in, two_forces).content)
    exported["payload"]["record"]["last_day"] = None  # tampered: made indefinite
    response = client.post(
        "/register/transfers/import", _upload(json.dumps(exported).encode(), "import")
    )
    assert "REGISTER_TRANSFER_BAD_SIGNATURE" in response.content.decode()
    # addressed to another force
    wrong = sign_in(two_forces["sender"]).post(
        "/register/transfers/import", _upload(_export(sign_in, two_forces).content, "import")
    )
    assert wrong.status_code == 400
    assert not RegisterTransfer.objects.filter(direction="in").exists()


def test_without_keys_nothing_is_exported_or_imported(sign_in, two_forces, settings):
    settings.REGISTER_TRANSFER_SIGNING_KEY_FILE = None
    settings.REGISTER_TRANSFER_TRUSTED_KEY_FILES = []
    response = _export(sign_in, two_forces)
    assert response.status_code == 400
    assert "not set up" in response.content.decode()
    assert not AuditEvent.objects.filter(scope="register.transfer_export").exists()
    page = sign_in(two_forces["receiver"]).get("/register/transfers/").content.decode()
    assert 'data-testid="transfers-not-configured"' in page
    response = sign_in(two_forces["receiver"]).post(
        "/register/transfers/import", _upload(io.BytesIO(b"{}").read(), "import")
    )
    assert "REGISTER_TRANSFER_NOT_CONFIGURED" in response.content.decode()


def test_permission_matrix(sign_in, make_user, two_forces, transfer_keys):
    _, transfer = _import(sign_in, two_forces)
    users = {role: make_user(role, organisation=two_forces["other"]) for role in Role.values}
    users["manager of the sending force"] = make_user(OM)
    record = two_forces["record"]
    assert_matrix(
        {
            "/register/transfers/": frozenset({OM, SUP, "manager of the sending force"}),
            f"/register/transfers/{transfer.pk}/": frozenset({OM, SUP}),
            f"/register/transfers/{transfer.pk}/refuse": frozenset({OM, SUP}),
        },
        users,
        sign_in,
    )
    sending = {role: make_user(role) for role in Role.values}
    sending["manager of the receiving force"] = two_forces["receiver"]
    assert_matrix(
        {f"/register/{record.pk}/transfer": frozenset({OM, SUP})},
        sending,
        sign_in,
        remember_reason_for=("case", two_forces["case"].pk),
    )
    for role, user in users.items():
        response = sign_in(user).post(f"/register/transfers/{transfer.pk}/accept")
        assert response.status_code in (403, 404) or role in (OM, SUP), role
