"""Signed triage reports (issue 11.4): the forged-report attacks, registered keys, duplicates."""

from __future__ import annotations

import io
import json

import pytest
from comeforward_triage.signing import ReportSigner, public_key_text

from comeforward.audit.models import AuditEvent
from comeforward.errors import DomainError, InvalidInput
from comeforward.exhibits import services
from comeforward.exhibits.models import (
    CustodyEvent,
    Examination,
    TriageSigningKey,
    TriageSigningKeyKind,
)
from comeforward.exhibits.services import examination_import, exhibit_record
from comeforward.exhibits.signing_keys import (
    triage_signing_key_register,
    triage_signing_key_revoke,
)
from comeforward.exhibits.triage_import import read_triage_report
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory
from .triage_files import STANDARD, TEST_SIGNER, record, sign, triage_output

pytestmark = pytest.mark.django_db


def _refusal(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.code, refused.value.details


def _import(examiner, exhibit, report: bytes, listing: bytes, signature: bytes | None):
    return examination_import(
        actor=examiner,
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=signature,
    )


def _nothing_saved(exhibit) -> None:
    assert Examination.objects.count() == 0
    assert list(CustodyEvent.objects.filter(exhibit=exhibit).values_list("kind", flat=True)) == [
        "received"
    ]
    assert not AuditEvent.objects.filter(scope="case.exhibit.examination").exists()


def _planted_category_a(report: bytes) -> tuple[bytes, bytes]:
    """The attack of issue 11.4: one unmatched image becomes a category A match in
    files.jsonl; the report's counts and files_sha256 are recomputed to fit."""
    doc = json.loads(report)
    records = [
        record(r["path"], category="A") if r["path"] == "DCIM/x1.jpg" else r for r in STANDARD
    ]
    forged, listing = triage_output(records, run_id=doc["run_id"])
    return forged, listing


def test_the_planted_category_a_attack_passes_the_seal_but_not_the_signature(world):
    _, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    genuine, _ = triage_output()
    forged, listing = _planted_category_a(genuine)
    # The seal and counts alone accept the forgery (the hole this closes) …
    assert (
        read_triage_report(
            forged, listing.splitlines(keepends=True), expected_exhibit="JS/1"
        ).categories["A"]
        == 2
    )
    # … the signature does not: the genuine signature no longer matches,
    code, details = _refusal(lambda: _import(examiner, exhibit, forged, listing, sign(genuine)))
    assert (code, details) == (
        "REPORT_SIGNATURE_INVALID",
        {"key_fingerprint": TEST_SIGNER.fingerprint},
    )
    # no signature at all is refused,
    code, _ = _refusal(lambda: _import(examiner, exhibit, forged, listing, None))
    assert code == "REPORT_UNSIGNED"
    code, _ = _refusal(lambda: _import(examiner, exhibit, forged, listing, b""))
    assert code == "REPORT_UNSIGNED"
    # re-signing with the forger's own, unregistered key is refused,
    forger = ReportSigner.generate()
    code, details = _refusal(
        lambda: _import(examiner, exhibit, forged, listing, sign(forged, forger))
    )
    assert (code, details) == (
        "REPORT_SIGNER_UNKNOWN",
        {"key_fingerprint": forger.fingerprint, "revoked": False},
    )
    # and so is a forger's signature that names the registered key's fingerprint.
    claimed = json.loads(sign(forged, forger))
    claimed["key_fingerprint"] = TEST_SIGNER.fingerprint
    code, _ = _refusal(
        lambda: _import(examiner, exhibit, forged, listing, json.dumps(claimed).encode())
    )
    assert code == "REPORT_SIGNATURE_INVALID"
    code, _ = _refusal(lambda: _import(examiner, exhibit, forged, listing, b"not a signature"))
    assert code == "REPORT_SIGNATURE_INVALID"
    _nothing_saved(exhibit)


def test_a_genuine_signed_report_is_imported_with_its_signer(world):
    _, exhibit, users = world
    report, listing = triage_output()
    exam = _import(users[Role.FORENSIC_EXAMINER], exhibit, report, listing, sign(report))
    key = TriageSigningKey.objects.get(fingerprint=TEST_SIGNER.fingerprint)
    assert (exam.signer_fingerprint, exam.signing_key, exam.run_id) == (
        TEST_SIGNER.fingerprint,
        key,
        json.loads(report)["run_id"],
    )
    audit = AuditEvent.objects.get(scope="case.exhibit.examination")
    assert (audit.details["signer_fingerprint"], audit.details["signing_key"]) == (
        TEST_SIGNER.fingerprint,
        key.pk,
    )
    assert audit.details["run_id"] == exam.run_id


@pytest.fixture
def workstation(world):
    """An examiner's workstation key registered by their force's supervisor."""
    _, _, users = world
    signer = ReportSigner.generate()
    key = triage_signing_key_register(
        actor=users[Role.SUPERVISOR],
        name="DFU laptop 3",
        public_key=public_key_text(signer.public_key),
        examiner=users[Role.FORENSIC_EXAMINER],
    )
    return signer, key


def test_workstation_key_imports_until_revoked(world, workstation):
    _, exhibit, users = world
    signer, key = workstation
    examiner, supervisor = users[Role.FORENSIC_EXAMINER], users[Role.SUPERVISOR]
    report, listing = triage_output()
    exam = _import(examiner, exhibit, report, listing, sign(report, signer))
    assert exam.signing_key == key
    triage_signing_key_revoke(actor=supervisor, key=key, reason="Laptop lost")
    later, later_listing = triage_output()
    code, details = _refusal(
        lambda: _import(examiner, exhibit, later, later_listing, sign(later, signer))
    )
    assert (code, details) == (
        "REPORT_SIGNER_UNKNOWN",
        {"key_fingerprint": signer.fingerprint, "revoked": True},
    )
    assert Examination.objects.count() == 1  # the earlier result stays


def test_key_revoked_between_check_and_save_is_refused(world, workstation, monkeypatch):
    """The service re-reads the key, locked, inside its transaction."""
    _, exhibit, users = world
    signer, key = workstation
    check = services.report_signer_check

    def check_then_revoke(*args, **kwargs):
        found = check(*args, **kwargs)
        triage_signing_key_revoke(actor=users[Role.SUPERVISOR], key=key, reason="Compromised")
        return found

    monkeypatch.setattr(services, "report_signer_check", check_then_revoke)
    report, listing = triage_output()
    code, _ = _refusal(
        lambda: _import(
            users[Role.FORENSIC_EXAMINER], exhibit, report, listing, sign(report, signer)
        )
    )
    assert code == "REPORT_SIGNER_UNKNOWN"
    _nothing_saved(exhibit)


def test_workstation_key_of_another_force_is_refused(world, make_user):
    _, exhibit, users = world
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    signer = ReportSigner.generate()
    triage_signing_key_register(
        actor=make_user(Role.SUPERVISOR, organisation=other_force),
        name="Elsewhere",
        public_key=public_key_text(signer.public_key),
    )
    report, listing = triage_output()
    code, details = _refusal(
        lambda: _import(
            users[Role.FORENSIC_EXAMINER], exhibit, report, listing, sign(report, signer)
        )
    )
    assert (code, details) == ("REPORT_SIGNER_UNKNOWN", {"key_fingerprint": signer.fingerprint})


def test_a_run_is_imported_once(world, police_force):
    case, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    report, listing = triage_output()
    _import(examiner, exhibit, report, listing, sign(report))
    # the same report again
    code, details = _refusal(lambda: _import(examiner, exhibit, report, listing, sign(report)))
    assert code == "REPORT_ALREADY_IMPORTED"
    assert details["run_id"] == json.loads(report)["run_id"]
    # the same run, its report re-signed with other bytes
    doc = json.loads(report)
    again = json.dumps({**doc, "finished_at": "2026-03-27T11:00:00Z"}).encode()
    code, _ = _refusal(lambda: _import(examiner, exhibit, again, listing, sign(again)))
    assert code == "REPORT_ALREADY_IMPORTED"
    # the same run for exhibit JS/1 of another case
    other = exhibit_record(
        actor=users[Role.INVESTIGATOR],
        case=CaseFactory(owning_organisation=police_force),
        reference="JS/1",
        kind="phone",
        description="Another phone",
        storage_location="Store",
    )
    code, _ = _refusal(lambda: _import(examiner, other, report, listing, sign(report)))
    assert code == "REPORT_ALREADY_IMPORTED"
    assert Examination.objects.count() == 1


def test_the_database_stops_a_duplicate_the_check_missed(world, monkeypatch):
    """Two concurrent imports can both pass the in-transaction check; the unique constraint
    stops the second, answered as REPORT_ALREADY_IMPORTED (not a 500)."""
    _, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    report, listing = triage_output()
    _import(examiner, exhibit, report, listing, sign(report))
    from django.db.models import Q

    monkeypatch.setattr(services, "Q", lambda **_: Q(pk=-1))  # the check sees nothing
    code, _ = _refusal(lambda: _import(examiner, exhibit, report, listing, sign(report)))
    assert code == "REPORT_ALREADY_IMPORTED"
    assert Examination.objects.count() == 1


# -- registering and revoking keys ------------------------------------------------------


def test_register_and_revoke_are_audited(world, workstation):
    _, _, users = world
    signer, key = workstation
    supervisor = users[Role.SUPERVISOR]
    assert (key.kind, key.organisation, key.examiner, key.registered_by) == (
        TriageSigningKeyKind.WORKSTATION,
        supervisor.organisation,
        users[Role.FORENSIC_EXAMINER],
        supervisor,
    )
    assert key.fingerprint == signer.fingerprint
    registered = AuditEvent.objects.get(scope="triage_signing_key.register", subject_id=key.pk)
    assert (registered.operation, registered.actor_id) == ("collect", supervisor.pk)
    assert registered.details == {
        "fingerprint": signer.fingerprint,
        "kind": "workstation",
        "name": "DFU laptop 3",
        "organisation": supervisor.organisation_id,
        "examiner": users[Role.FORENSIC_EXAMINER].pk,
    }
    triage_signing_key_revoke(actor=supervisor, key=key, reason="Replaced")
    key.refresh_from_db()
    assert (key.revoked_by, key.revocation_reason, key.revoked) == (supervisor, "Replaced", True)
    revoked = AuditEvent.objects.get(scope="triage_signing_key.revoke")
    assert (revoked.operation, revoked.details["reason"]) == ("alter", "Replaced")
    code, _ = _refusal(lambda: triage_signing_key_revoke(actor=supervisor, key=key, reason="Again"))
    assert code == "SIGNING_KEY_ALREADY_REVOKED"
    # a revoked key cannot come back by registering it again
    code, _ = _refusal(
        lambda: triage_signing_key_register(
            actor=supervisor, name="Again", public_key=public_key_text(signer.public_key)
        )
    )
    assert code == "SIGNING_KEY_ALREADY_REGISTERED"


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r != Role.SUPERVISOR],
)
def test_only_a_supervisor_registers_or_revokes(world, workstation, make_user, role):
    _, _, users = world
    _, key = workstation
    actor = make_user(role)
    public = public_key_text(ReportSigner.generate().public_key)
    with pytest.raises(InvalidInput):
        triage_signing_key_register(actor=actor, name="Mine", public_key=public)
    with pytest.raises(InvalidInput):
        triage_signing_key_revoke(actor=actor, key=key, reason="Mine")
    assert TriageSigningKey.objects.filter(revoked_at__isnull=False).count() == 0


def test_register_refusals(world, workstation, make_user):
    _, _, users = world
    supervisor = users[Role.SUPERVISOR]
    for bad in ("", "ed25519:AAAA", "hello world"):
        code, details = _refusal(
            lambda bad=bad: triage_signing_key_register(
                actor=supervisor, name="Laptop", public_key=bad
            )
        )
        assert (code, details["fields"]) == ("SIGNING_KEY_INVALID", {"public_key": "invalid"})
    public = public_key_text(ReportSigner.generate().public_key)
    with pytest.raises(InvalidInput):  # not an examiner
        triage_signing_key_register(
            actor=supervisor, name="L", public_key=public, examiner=users[Role.INVESTIGATOR]
        )
    with pytest.raises(InvalidInput):  # an examiner of another force
        triage_signing_key_register(
            actor=supervisor,
            name="L",
            public_key=public,
            examiner=users["examiner of another force"],
        )
    other_supervisor = make_user(
        Role.SUPERVISOR, organisation=users["examiner of another force"].organisation
    )
    with pytest.raises(InvalidInput):  # another force's key
        triage_signing_key_revoke(actor=other_supervisor, key=workstation[1], reason="No")
    assert TriageSigningKey.objects.count() == 2  # the test signer and the workstation
