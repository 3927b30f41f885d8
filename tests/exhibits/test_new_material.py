"""PDQ counts, VICS flags and the new-material export, with output made by the real engine.

The triage run (``pdq_scene``) is made once per module over benign generated evidence; each
test imports it through the service or the pages and checks exact counts, the sealed export,
its audited disclosure and the refusal of a tampered export.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from comeforward_triage.vicsexport import VICS2_UK_CASES as ENGINE_VICS2_UK_CASES
from django.core.files.uploadedfile import SimpleUploadedFile

from comeforward.audit.models import AuditEvent
from comeforward.errors import DomainError
from comeforward.exhibits.models import CustodyEvent, Examination, NewMaterialExport
from comeforward.exhibits.services import (
    examination_import,
    examination_import_from_paths,
    new_material_disclose,
)
from comeforward.exhibits.triage_import import VICS2_UK_CASES
from comeforward.exhibits.triage_jobs import triage_job_request
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory
from ..web.matrix import assert_matrix
from .pdq_scene import PDQ_DATA, build_scene, run_scene
from .triage_files import TEST_SIGNER, sign, triage_output

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not PDQ_DATA.is_dir(), reason="shared/testdata/pdq missing"),
]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_scene(tmp_path_factory.mktemp("pdq-scene"))


@pytest.fixture(scope="module")
def run(scene: dict) -> dict:
    out = scene["root"] / "out"
    report = run_scene(scene, out)
    return {
        "report": report,
        "out": out,
        "report_bytes": (out / "report.json").read_bytes(),
        "listing": (out / "files.jsonl").read_bytes(),
        "export": (out / "new-material.vics.json").read_bytes(),
    }


def _import(examiner, exhibit, run: dict, export: bytes | None) -> Examination:
    return examination_import(
        actor=examiner,
        exhibit=exhibit,
        report_bytes=run["report_bytes"],
        files_stream=io.BytesIO(run["listing"]),
        new_material_bytes=export,
        signature_bytes=sign(run["report_bytes"]),  # re-signed where a test alters it
    )


def _code(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as refusal:
        call()
    return refusal.value.code, refusal.value.details


def test_the_engine_run_is_what_the_tests_expect(run: dict) -> None:
    """Guards the scene itself: if the engine changes, these numbers say how."""
    report = run["report"]
    assert report["categories"] == {"A": 2, "B": 1, "C": 1, "UNCATEGORISED": 0}
    assert report["matches_by_method"] == {"pdq": 3, "md5": 1}
    assert (report["pdq"]["matched"], report["pdq"]["low_quality"]) == (3, 1)
    assert report["new_material"]["sha256"] == hashlib.sha256(run["export"]).hexdigest()
    assert VICS2_UK_CASES == ENGINE_VICS2_UK_CASES


def test_import_stores_pdq_counts_flags_and_the_sealed_export(world, run: dict) -> None:
    case, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    exam = _import(examiner, exhibit, run, run["export"])
    exam.refresh_from_db()
    assert (exam.category_a, exam.category_b, exam.category_c, exam.uncategorised) == (2, 1, 1, 0)
    assert (exam.unmatched_images, exam.total_files, exam.total_images) == (3, 8, 7)
    assert (exam.pdq_radius, exam.pdq_matched, exam.pdq_low_quality) == (31, 3, 1)
    # both bridge variants match an entry flagged Series + VictimIdentified; the pen
    # (category B) is Series only; the exact MD5 match (category C) carries no flags
    assert (exam.series_matches, exam.victim_identified_matches) == (3, 2)
    digest = hashlib.sha256(run["export"]).hexdigest()
    assert (exam.new_material_count, exam.new_material_files, exam.new_material_sha256) == (
        2,
        3,
        digest,
    )
    stored = NewMaterialExport.objects.get(examination=exam)
    assert (bytes(stored.content), stored.sha256, stored.size) == (
        run["export"],
        digest,
        len(run["export"]),
    )
    audit = AuditEvent.objects.get(scope="case.exhibit.examination")
    assert audit.operation == "collect"
    assert audit.details == {
        "exhibit": exhibit.pk,
        "reference": "JS/1",
        "examination": exam.pk,
        "report_sha256": hashlib.sha256(run["report_bytes"]).hexdigest(),
        "categories": {"A": 2, "B": 1, "C": 1, "UNCATEGORISED": 0},
        "unmatched_images": 3,
        "unmatched_videos": 0,
        "pdq_matched": 3,
        "series_matches": 3,
        "victim_identified_matches": 2,
        "new_material_count": 2,
        "new_material_sha256": digest,
        "run_id": exam.run_id,
        "signer_fingerprint": TEST_SIGNER.fingerprint,
        "signing_key": exam.signing_key_id,
        "ungraded": 3,
        "suggestions": {},
    }
    assert exam.run_id == json.loads(run["report_bytes"])["run_id"]


def test_import_without_the_export_keeps_the_count_only(world, run: dict) -> None:
    _, exhibit, users = world
    exam = _import(users[Role.FORENSIC_EXAMINER], exhibit, run, None)
    assert exam.new_material_count == 2
    assert not NewMaterialExport.objects.exists()


def test_tampered_export_is_refused_and_nothing_is_saved(world, run: dict) -> None:
    _, exhibit, users = world
    tampered = run["export"].replace(b"DC Smith", b"DC Smyth")
    assert tampered != run["export"]
    code, details = _code(lambda: _import(users[Role.FORENSIC_EXAMINER], exhibit, run, tampered))
    assert (code, details) == (
        "NEW_MATERIAL_SEAL_MISMATCH",
        {
            "report_new_material_sha256": hashlib.sha256(run["export"]).hexdigest(),
            "export_sha256": hashlib.sha256(tampered).hexdigest(),
        },
    )
    assert Examination.objects.count() == 0
    assert NewMaterialExport.objects.count() == 0
    assert CustodyEvent.objects.filter(exhibit=exhibit).count() == 1
    assert not AuditEvent.objects.filter(scope="case.exhibit.examination").exists()


def test_export_with_a_report_that_declares_none_is_refused(world, run: dict) -> None:
    _, exhibit, users = world
    report, listing = triage_output()  # an older report: no new_material section
    code, _ = _code(
        lambda: examination_import(
            actor=users[Role.FORENSIC_EXAMINER],
            exhibit=exhibit,
            report_bytes=report,
            files_stream=io.BytesIO(listing),
            new_material_bytes=run["export"],
            signature_bytes=sign(report),
        )
    )
    assert code == "NEW_MATERIAL_NOT_IN_REPORT"
    assert Examination.objects.count() == 0


def test_sealed_file_that_is_not_a_vics_case_is_refused(world) -> None:
    _, exhibit, users = world
    export = b'{"value": []}\n'
    section = {"count": 0, "files": 0, "sha256": hashlib.sha256(export).hexdigest()}
    report, listing = triage_output(new_material=section)
    code, details = _code(
        lambda: examination_import(
            actor=users[Role.FORENSIC_EXAMINER],
            exhibit=exhibit,
            report_bytes=report,
            files_stream=io.BytesIO(listing),
            new_material_bytes=export,
            signature_bytes=sign(report),
        )
    )
    assert (code, details) == ("NEW_MATERIAL_INVALID", {"count": 0})
    assert Examination.objects.count() == 0


def test_pdq_count_that_disagrees_with_the_listing_is_refused(world, run: dict) -> None:
    _, exhibit, users = world
    report = json.loads(run["report_bytes"])
    report["pdq"]["matched"] = 2
    altered = dict(run, report_bytes=json.dumps(report).encode())
    code, details = _code(lambda: _import(users[Role.FORENSIC_EXAMINER], exhibit, altered, None))
    assert (code, details) == (
        "REPORT_COUNTS_MISMATCH",
        {"differences": {"pdq_matched": {"report": 2, "listing": 3}}},
    )


@pytest.mark.parametrize(
    ("section", "value", "field"),
    [
        ("pdq", {"enabled": True, "radius": 31, "matched": "3", "low_quality": 1}, "pdq.matched"),
        ("pdq", {"enabled": 1, "radius": 31, "matched": 3, "low_quality": 1}, "pdq.enabled"),
        ("new_material", {"count": 2, "files": 3, "sha256": "XYZ"}, "new_material.sha256"),
        ("new_material", {"count": 2, "sha256": "ab" * 32}, "new_material.files"),
    ],
)
def test_malformed_sections_name_the_field(world, run: dict, section, value, field) -> None:
    _, exhibit, users = world
    report = json.loads(run["report_bytes"])
    report[section] = value
    altered = dict(run, report_bytes=json.dumps(report).encode())
    code, details = _code(lambda: _import(users[Role.FORENSIC_EXAMINER], exhibit, altered, None))
    assert (code, details["field"]) == ("REPORT_SHAPE_INVALID", field)


def test_disclosure_is_audited_with_its_justification(world, run: dict) -> None:
    case, exhibit, users = world
    exam = _import(users[Role.FORENSIC_EXAMINER], exhibit, run, run["export"])
    export = NewMaterialExport.objects.get(examination=exam)
    supervisor = users[Role.SUPERVISOR]
    with pytest.raises(DomainError) as refusal:
        new_material_disclose(actor=supervisor, export=export, justification="  ")
    assert refusal.value.code == "JUSTIFICATION_REQUIRED"
    new_material_disclose(actor=supervisor, export=export, justification="CAID submission")
    audit = AuditEvent.objects.get(scope="case.exhibit.new_material")
    assert (audit.operation, audit.actor_id, audit.subject_id, audit.justification) == (
        "disclose",
        supervisor.pk,
        str(case.pk),
        "CAID submission",
    )
    assert audit.details == {
        "exhibit": exhibit.pk,
        "reference": "JS/1",
        "examination": exam.pk,
        "sha256": export.sha256,
        "bytes": len(run["export"]),
        "media": 2,
    }


def _upload(run: dict, export: bytes | None) -> dict:
    files = {
        "report": SimpleUploadedFile("report.json", run["report_bytes"], "application/json"),
        "signature": SimpleUploadedFile(
            "report.json.sig", (run["out"] / "report.json.sig").read_bytes()
        ),
        "files_listing": SimpleUploadedFile("files.jsonl", run["listing"], "application/x-ndjson"),
    }
    if export is not None:
        files["new_material"] = SimpleUploadedFile(
            "new-material.vics.json", export, "application/json"
        )
    return files


def test_upload_show_and_download_through_the_pages(world, run: dict, case_client) -> None:
    case, exhibit, users = world
    examiner = case_client(users[Role.FORENSIC_EXAMINER], case)
    base = f"/cases/{case.pk}/exhibits/{exhibit.pk}"
    assert examiner.post(f"{base}/examination", _upload(run, run["export"])).status_code == 302
    exam = Examination.objects.get(exhibit=exhibit)
    detail = examiner.get(f"{base}/").content.decode()
    for testid, value in (
        ("count-pdq-matched", "3"),
        ("count-pdq-low-quality", "1"),
        ("count-series", "3"),
        ("count-victim-identified", "2"),
        ("count-new-material", "2 distinct images (3 files)"),
    ):
        assert f'data-testid="{testid}">{value}</dd>' in detail, testid
    url = f"{base}/examinations/{exam.pk}/new-material"
    assert f'href="{url}">Download new-material export for the national database' in detail
    assert "lowq.jpg" not in detail  # no evidence paths on the page
    # the investigator sees the counts but is not offered the export
    investigator_page = case_client(users[Role.INVESTIGATOR], case).get(f"{base}/")
    assert url not in investigator_page.content.decode()

    form = examiner.get(url)
    assert form.status_code == 200
    assert hashlib.sha256(run["export"]).hexdigest() in form.content.decode()
    missing = examiner.post(url, {"purpose": "other"})
    assert "Describe the purpose of the disclosure" in missing.content.decode()
    assert not AuditEvent.objects.filter(scope="case.exhibit.new_material").exists()

    response = examiner.post(url, {"purpose": "caid", "detail": "Op Example 12"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{case.reference}-JS-1-new-material.vics.json"'
    )
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert response.content == run["export"]
    audit = AuditEvent.objects.get(scope="case.exhibit.new_material")
    assert (audit.scope, audit.actor_id, audit.justification) == (
        "case.exhibit.new_material",
        users[Role.FORENSIC_EXAMINER].pk,
        "Submission to the national Child Abuse Image Database (CAID) for grading and victim "
        "identification: Op Example 12",
    )


def test_tampered_export_upload_is_a_form_error(world, run: dict, case_client) -> None:
    case, exhibit, users = world
    response = case_client(users[Role.FORENSIC_EXAMINER], case).post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination",
        _upload(run, run["export"] + b" "),
    )
    assert response.status_code == 400
    assert "<code>NEW_MATERIAL_SEAL_MISMATCH</code>" in response.content.decode()
    assert Examination.objects.count() == 0


def test_download_permission_matrix(world, run: dict, make_user, sign_in) -> None:
    case, exhibit, users = world
    exam = _import(users[Role.FORENSIC_EXAMINER], exhibit, run, run["export"])
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    users = dict(users)
    users["supervisor of another force"] = make_user(Role.SUPERVISOR, organisation=other_force)
    assert_matrix(
        {
            f"/cases/{case.pk}/exhibits/{exhibit.pk}/examinations/{exam.pk}/new-material": (
                frozenset({Role.FORENSIC_EXAMINER, Role.SUPERVISOR})
            )
        },
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_examination_without_a_stored_export_has_no_download(world, run, case_client) -> None:
    case, exhibit, users = world
    exam = _import(users[Role.FORENSIC_EXAMINER], exhibit, run, None)
    client = case_client(users[Role.FORENSIC_EXAMINER], case)
    url = f"/cases/{case.pk}/exhibits/{exhibit.pk}/examinations/{exam.pk}/new-material"
    assert client.get(url).status_code == 404
    detail = client.get(f"/cases/{case.pk}/exhibits/{exhibit.pk}/").content.decode()
    assert "The new-material export of this run was not imported." in detail


def test_from_paths_and_the_background_job_import_the_export(
    world, scene: dict, run: dict, settings, django_capture_on_commit_callbacks
) -> None:
    _, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    out: Path = run["out"]
    exam = examination_import_from_paths(
        actor=examiner,
        exhibit=exhibit,
        report_path=out / "report.json",
        files_path=out / "files.jsonl",
        new_material_path=out / "new-material.vics.json",
    )
    assert bytes(exam.new_material_export.content) == run["export"]

    settings.TRIAGE_EVIDENCE_ROOTS = [str(scene["root"])]
    settings.TRIAGE_OUTPUT_DIR = scene["root"] / "runs"
    settings.TRIAGE_HASHSETS = [str(scene["ref"])]
    settings.TRIAGE_KNOWN_GOOD = []
    with django_capture_on_commit_callbacks(execute=True):
        job = triage_job_request(actor=examiner, exhibit=exhibit, source_path=str(scene["ev"]))
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("succeeded", "")
    exam = job.examination
    written = (scene["root"] / "runs" / f"job-{job.pk}" / "new-material.vics.json").read_bytes()
    assert (exam.pdq_matched, exam.series_matches, exam.new_material_count) == (3, 3, 2)
    assert exam.report_examiner == examiner.full_name
    assert bytes(exam.new_material_export.content) == written
    assert exam.new_material_export.sha256 == hashlib.sha256(written).hexdigest()
