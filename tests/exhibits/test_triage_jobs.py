"""Triage of an exhibit as a background job: the real engine, the real import, custody."""

from __future__ import annotations

import hashlib

import pytest
from comeforward_triage.hashsets import compile_hashset

from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_team_add
from comeforward.exhibits.errors import EvidencePathNotAllowed, EvidencePathNotFound
from comeforward.exhibits.models import CustodyEvent, TriageJob
from comeforward.exhibits.services import exhibit_record
from comeforward.exhibits.triage_jobs import triage_job_request
from comeforward.roles import Role

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db

FILES = {
    "docs/letter.txt": b"Dear Sir, this is an ordinary letter.\n",
    "pics/known.bin": b"\x89PNG\r\n\x1a\n" + b"synthetic-not-an-image" * 10,
    "pics/other.bin": b"plain bytes that match nothing\n",
}


@pytest.fixture
def evidence(tmp_path, settings):
    root = tmp_path / "evidence"
    device = root / "JS-1"
    for name, data in FILES.items():
        path = device / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # A generated reference set: one file is "known", category B.
    listing = tmp_path / "set.csv"
    known = hashlib.md5(FILES["pics/known.bin"]).hexdigest()  # noqa: S324 - reference hash
    listing.write_text(f"md5,category\n{known},B\n")
    cfhs = tmp_path / "set.cfhs"
    compile_hashset(str(listing), "csv", out=str(cfhs))
    settings.TRIAGE_EVIDENCE_ROOTS = [str(root)]
    settings.TRIAGE_OUTPUT_DIR = tmp_path / "runs"
    settings.TRIAGE_HASHSETS = [str(cfhs)]
    settings.TRIAGE_KNOWN_GOOD = []
    return device


@pytest.fixture
def exhibit(make_user):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory()
    return exhibit_record(
        actor=officer,
        case=case,
        reference="JS/1",
        kind="laptop",
        description="Silver laptop",
        storage_location="Property store",
    )


def test_job_runs_the_engine_and_imports_the_sealed_report(
    evidence, exhibit, make_user, django_capture_on_commit_callbacks
):
    examiner = make_user(Role.FORENSIC_EXAMINER)
    with django_capture_on_commit_callbacks(execute=True):
        job = triage_job_request(actor=examiner, exhibit=exhibit, source_path=str(evidence))
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("succeeded", "")
    exam = job.examination
    assert (exam.total_files, exam.category_b, exam.category_a, exam.unmatched_images) == (
        3,
        1,
        0,
        0,
    )
    assert exam.report_exhibit == "JS/1"
    assert exam.report_examiner == examiner.full_name
    kinds = list(CustodyEvent.objects.filter(exhibit=exhibit).values_list("kind", flat=True))
    assert kinds == ["received", "examined"]
    assert AuditEvent.objects.filter(scope="case.exhibit.triage_job").count() == 1


def test_paths_outside_the_evidence_roots_are_refused(evidence, exhibit, make_user):
    examiner = make_user(Role.FORENSIC_EXAMINER)
    for path in ("/etc", str(evidence / ".." / ".." / "set.csv")):
        with pytest.raises(EvidencePathNotAllowed):
            triage_job_request(actor=examiner, exhibit=exhibit, source_path=path)
    with pytest.raises(EvidencePathNotFound):
        triage_job_request(actor=examiner, exhibit=exhibit, source_path=str(evidence / "nope"))
    assert TriageJob.objects.count() == 0


def test_a_failing_run_is_recorded_on_the_job(
    evidence, exhibit, make_user, settings, django_capture_on_commit_callbacks
):
    settings.TRIAGE_HASHSETS = [str(evidence / "docs" / "letter.txt")]  # not a .cfhs
    examiner = make_user(Role.FORENSIC_EXAMINER)
    with django_capture_on_commit_callbacks(execute=True):
        job = triage_job_request(actor=examiner, exhibit=exhibit, source_path=str(evidence))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error_code == "CORRUPT_HASHSET"
    assert job.examination is None


def test_the_page_queues_a_job(evidence, exhibit, make_user, case_client):
    examiner = make_user(Role.FORENSIC_EXAMINER)
    case_team_add(actor=None, case=exhibit.case, user=examiner)
    client = case_client(examiner, exhibit.case)
    url = f"/cases/{exhibit.case.pk}/exhibits/{exhibit.pk}/triage"
    assert client.get(url).status_code == 200
    page = client.post(url, {"source_path": "/etc"})
    assert "EVIDENCE_PATH_NOT_ALLOWED" in page.content.decode()
    response = client.post(url, {"source_path": str(evidence)})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Triage runs on the worker" in detail


@pytest.mark.parametrize("role", [Role.INTAKE_OFFICER, Role.TREATMENT_PROVIDER, Role.ANALYST])
def test_other_roles_cannot_start_triage(evidence, exhibit, make_user, case_client, role):
    user = make_user(role)
    client = case_client(user, exhibit.case)
    url = f"/cases/{exhibit.case.pk}/exhibits/{exhibit.pk}/triage"
    assert client.post(url, {"source_path": str(evidence)}).status_code in (403, 404)
    assert TriageJob.objects.count() == 0


def test_the_examiner_chooses_how_a_folder_is_read(
    evidence, exhibit, make_user, case_client, django_capture_on_commit_callbacks
):
    """One reader in order for a spinning disk, parallel reads for an SSD, or auto (ADR 0102,
    addendum 4): kept on the job, passed to the engine, stated in the sealed report."""
    import json

    from comeforward.errors import InvalidInput
    from comeforward.exhibits.triage_jobs import output_dir

    examiner = make_user(Role.FORENSIC_EXAMINER)
    case_team_add(actor=None, case=exhibit.case, user=examiner)
    client = case_client(examiner, exhibit.case)
    url = f"/cases/{exhibit.case.pk}/exhibits/{exhibit.pk}/triage"
    page = client.get(url).content.decode()
    assert 'name="reader"' in page and 'value="auto" checked' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"source_path": str(evidence), "reader": "sequential"})
    assert response.status_code == 302
    job = TriageJob.objects.get()
    assert (job.reader, job.status) == ("sequential", "succeeded")
    report = json.loads((output_dir(job) / "report.json").read_text())
    assert report["run"]["reader"] == "sequential: asked for"
    with pytest.raises(InvalidInput):
        triage_job_request(
            actor=examiner, exhibit=exhibit, source_path=str(evidence), reader="sideways"
        )
    assert TriageJob.objects.count() == 1


# -- the worker signs with the installation's key (issue 11.4) ------------------------------


def _run_job(examiner, exhibit, evidence, capture):
    with capture(execute=True):
        job = triage_job_request(actor=examiner, exhibit=exhibit, source_path=str(evidence))
    job.refresh_from_db()
    return job


def test_the_worker_signs_with_a_key_made_0600_and_registered_automatically(
    evidence, exhibit, make_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    import json
    import os
    import stat

    from comeforward_triage.signing import load_key

    from comeforward.exhibits.models import TriageSigningKey
    from comeforward.exhibits.triage_jobs import output_dir

    key_file = tmp_path / "secrets" / "worker.key"
    settings.TRIAGE_SIGNING_KEY_FILE = str(key_file)
    settings.TRIAGE_SIGNING_KEY_AUTOCREATE = True
    old_umask = os.umask(0)
    try:
        job = _run_job(
            make_user(Role.FORENSIC_EXAMINER), exhibit, evidence, django_capture_on_commit_callbacks
        )
    finally:
        os.umask(old_umask)
    assert (job.status, job.error_code) == ("succeeded", "")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    fingerprint = load_key(str(key_file)).fingerprint
    key = TriageSigningKey.objects.get(fingerprint=fingerprint)
    assert (key.kind, key.organisation, key.registered_by) == ("worker", None, None)
    assert (job.examination.signing_key, job.examination.signer_fingerprint) == (key, fingerprint)
    sig = json.loads((output_dir(job) / "report.json.sig").read_text())
    assert sig["key_fingerprint"] == fingerprint
    audit = AuditEvent.objects.get(scope="triage_signing_key.register")
    assert (audit.actor_id, audit.details["automatic"]) == (None, True)
    for path in output_dir(job).iterdir():  # journal, reports, signature: all private
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_without_a_worker_key_the_job_fails_closed(
    evidence, exhibit, make_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TRIAGE_SIGNING_KEY_FILE = str(tmp_path / "absent.key")
    settings.TRIAGE_SIGNING_KEY_AUTOCREATE = False  # production
    job = _run_job(
        make_user(Role.FORENSIC_EXAMINER), exhibit, evidence, django_capture_on_commit_callbacks
    )
    assert (job.status, job.error_code, job.examination) == (
        "failed",
        "TRIAGE_SIGNING_KEY_UNAVAILABLE",
        None,
    )
    assert not (tmp_path / "absent.key").exists()


def test_a_revoked_worker_key_is_not_brought_back(
    evidence, exhibit, make_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    from comeforward.exhibits.models import TriageSigningKey
    from comeforward.exhibits.signing_keys import triage_signing_key_revoke

    settings.TRIAGE_SIGNING_KEY_FILE = str(tmp_path / "worker.key")
    settings.TRIAGE_SIGNING_KEY_AUTOCREATE = True
    examiner = make_user(Role.FORENSIC_EXAMINER)
    first = _run_job(examiner, exhibit, evidence, django_capture_on_commit_callbacks)
    assert first.status == "succeeded"
    key = first.examination.signing_key
    triage_signing_key_revoke(actor=make_user(Role.SUPERVISOR), key=key, reason="Key file copied")
    second = _run_job(examiner, exhibit, evidence, django_capture_on_commit_callbacks)
    assert (second.status, second.error_code) == ("failed", "REPORT_SIGNER_UNKNOWN")
    key.refresh_from_db()
    assert key.revoked
    assert TriageSigningKey.objects.filter(fingerprint=key.fingerprint).count() == 1


def test_deploy_check_requires_a_private_worker_key(settings, tmp_path):
    from comeforward_triage.signing import generate_key_file

    from comeforward.exhibits.checks import triage_signing_key_check

    settings.TRIAGE_SIGNING_KEY_AUTOCREATE = False
    settings.TRIAGE_SIGNING_KEY_FILE = None
    assert [e.id for e in triage_signing_key_check()] == ["exhibits.E001"]
    settings.TRIAGE_SIGNING_KEY_FILE = str(tmp_path / "worker.key")
    assert [e.id for e in triage_signing_key_check()] == ["exhibits.E001"]
    generate_key_file(str(tmp_path / "worker.key"))
    assert triage_signing_key_check() == []
    (tmp_path / "worker.key").chmod(0o644)
    assert [e.id for e in triage_signing_key_check()] == ["exhibits.E002"]
