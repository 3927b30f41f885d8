"""Ungraded material (issue 12.2; domain-rules.md §4.7 E3/E7): counted at import, graded from
the examiner's VICS/CSV file keyed by hash (all or nothing, refusals with line numbers and
stable codes), a certified sample review, structured findings with listing suggestions."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comeforward.audit.models import AuditEvent
from comeforward.errors import DomainError
from comeforward.exhibits.extension import examinations_policy_facts as exhibits_policy_facts
from comeforward.exhibits.grading import parse_grading_file
from comeforward.exhibits.models import Examination, UngradedItem
from comeforward.exhibits.services import (
    examination_findings_record,
    examination_grading_import,
    examination_import,
    examination_sample_review_certify,
)
from comeforward.roles import Role

from ..web.matrix import assert_matrix
from .triage_files import STANDARD, record, sign, triage_output

pytestmark = pytest.mark.django_db


def sha(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()


@pytest.fixture
def exam(world) -> Examination:
    _, exhibit, users = world
    report, listing = triage_output(
        [*STANDARD, record("Users/x/eMule/Incoming/y.jpg", category="C")]
    )
    return examination_import(
        actor=users[Role.FORENSIC_EXAMINER],
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=sign(report),
    )


def _code(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.details


def test_import_counts_ungraded_material_and_suggests_file_sharing(exam):
    # 1 uncategorised match + 3 unmatched images; the known-good and non-image files are not.
    assert exam.ungraded == 4
    kinds = sorted(UngradedItem.objects.filter(examination=exam).values_list("kind", "sha256"))
    assert kinds == sorted(
        [("uncategorised", sha("DCIM/u.jpg"))]
        + [("unmatched", sha(f"DCIM/x{n}.jpg")) for n in (1, 2, 3)]
    )
    assert exam.suggestions == {"file_sharing": {"eMule": 1}}


def test_policy_facts_block_until_graded_then_count(world, exam):
    case, _, users = world
    facts = exhibits_policy_facts(case)
    assert facts["ungraded_item_count"] == 4
    assert facts["ungraded_sample_review_certified"] is False
    csv_file = "sha256,category\n" + "".join(
        f"{sha(p)},{g}\n"
        for p, g in [("DCIM/u.jpg", "B"), ("DCIM/x1.jpg", "C"), ("DCIM/x2.jpg", "not indecent")]
    )
    counts = examination_grading_import(
        actor=users[Role.FORENSIC_EXAMINER], examination=exam, content=csv_file.encode()
    )
    assert counts == {"A": 0, "B": 1, "C": 1, "not_indecent": 1}
    exam.refresh_from_db()
    assert (exam.category_a, exam.category_b, exam.category_c) == (1, 2, 4)
    assert (exam.ungraded, exam.graded_not_indecent) == (1, 1)
    item = UngradedItem.objects.get(examination=exam, sha256=sha("DCIM/u.jpg"))
    assert (item.grade, item.graded_by) == ("B", users[Role.FORENSIC_EXAMINER])
    assert item.graded_at is not None
    audit = AuditEvent.objects.filter(scope="case.exhibit.grading").get()
    assert audit.details["graded"] == counts and audit.details["ungraded_left"] == 1
    facts = exhibits_policy_facts(case)
    assert (facts["ungraded_item_count"], facts["category_b_count"]) == (1, 2)
    # the last item graded from a VICS 2.0 case export with a numeric profile
    vics = {
        "@odata.context": "http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/UK",
        "value": [
            {"CaseID": "1", "Media": [{"MD5": sha("DCIM/x3.jpg")[:32].upper(), "Category": 3}]}
        ],
    }
    examination_grading_import(
        actor=users[Role.FORENSIC_EXAMINER],
        examination=exam,
        content=json.dumps(vics).encode(),
        profile="numeric-abc",
    )
    exam.refresh_from_db()
    assert (exam.ungraded, exam.category_c) == (0, 5)
    facts = exhibits_policy_facts(case)
    assert facts["ungraded_item_count"] == 0
    assert "ungraded_sample_review_certified" not in facts


def test_unknown_hash_refuses_the_whole_file_with_line_numbers(world, exam):
    _, _, users = world
    content = f"sha256,category\n{sha('DCIM/u.jpg')},A\n{sha('nope')},B\n{sha('nah')},C\n"
    code, details = _code(
        lambda: examination_grading_import(
            actor=users[Role.FORENSIC_EXAMINER], examination=exam, content=content.encode()
        )
    )
    assert (code, details["positions"]) == ("GRADING_UNKNOWN_HASH", [3, 4])
    exam.refresh_from_db()
    assert (exam.category_a, exam.ungraded) == (1, 4)
    assert not UngradedItem.objects.exclude(grade="").exists()
    assert not AuditEvent.objects.filter(scope="case.exhibit.grading").exists()


@pytest.mark.parametrize(
    ("content", "code", "where"),
    [
        (b"sha256,category\nzz,A\n", "GRADING_HASH_INVALID", {"line": 2}),
        (b"md5,grade\n" + b"a" * 32 + b",D\n", "GRADING_CATEGORY_INVALID", {"line": 2}),
        (b"path,category\nx,A\n", "GRADING_FILE_INVALID", {"line": 1}),
        (b'{"value": [{"Category": "A"}]}', "GRADING_HASH_INVALID", {"record": 1}),
        (
            b'{"value": [{"MD5": "' + b"a" * 32 + b'", "Category": 2}]}',
            "GRADING_CATEGORY_INVALID",
            {"record": 1},
        ),
        (b'{"value": [', "GRADING_FILE_INVALID", {"line": 1}),
        (b"\xff\xfe", "GRADING_FILE_INVALID", {}),
        (b"sha256,category\n", "GRADING_FILE_EMPTY", {}),
    ],
)
def test_malformed_grading_files_refused_with_position(content, code, where):
    got, details = _code(lambda: parse_grading_file(content))
    assert got == code
    for key, value in where.items():
        assert details[key] == value


def test_grading_twice_is_refused(world, exam):
    _, _, users = world
    content = f"sha256,category\n{sha('DCIM/u.jpg')},A\n".encode()
    examination_grading_import(
        actor=users[Role.FORENSIC_EXAMINER], examination=exam, content=content
    )
    code, details = _code(
        lambda: examination_grading_import(
            actor=users[Role.FORENSIC_EXAMINER], examination=exam, content=content
        )
    )
    assert (code, details["already_graded"]) == ("GRADING_DUPLICATE", [2])


def test_only_an_examiner_grades_certifies_or_records_findings(world, exam):
    _, _, users = world
    officer = users[Role.INVESTIGATOR]
    content = f"sha256,category\n{sha('DCIM/u.jpg')},A\n".encode()
    for call in (
        lambda: examination_grading_import(actor=officer, examination=exam, content=content),
        lambda: examination_sample_review_certify(
            actor=officer, examination=exam, sample_size=1, reason="A" * 40
        ),
        lambda: examination_findings_record(
            actor=officer,
            examination=exam,
            production=True,
            distribution=False,
            contact_offending=False,
        ),
    ):
        assert _code(call)[0] == "EXAMINER_REQUIRED"


def test_sample_review_certified_lets_e3_e7_rely_on_it(world, exam):
    case, _, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    assert (
        _code(
            lambda: examination_sample_review_certify(
                actor=examiner, examination=exam, sample_size=1, reason="short"
            )
        )[0]
        == "SAMPLE_REVIEW_INVALID"
    )
    assert _code(
        lambda: examination_sample_review_certify(
            actor=examiner, examination=exam, sample_size=5, reason="R" * 40
        )
    )[1] == {"field": "sample_size", "ungraded": 4}
    examination_sample_review_certify(
        actor=examiner,
        examination=exam,
        sample_size=2,
        reason="Random sample of 2 of 4 reviewed in the grading tool: holiday photographs.",
    )
    exam.refresh_from_db()
    assert exam.sample_review_certified and exam.sample_review_size == 2
    assert exam.sample_review_certified_by == examiner
    assert (
        AuditEvent.objects.filter(scope="case.exhibit.sample_review").get().details["sample_size"]
        == 2
    )
    assert exhibits_policy_facts(case)["ungraded_sample_review_certified"] is True


def test_findings_become_policy_facts(world, exam):
    case, _, users = world
    assert "production_or_distribution" not in exhibits_policy_facts(case)
    examination_findings_record(
        actor=users[Role.FORENSIC_EXAMINER],
        examination=exam,
        production=False,
        distribution=True,
        contact_offending=True,
        notes="eMule incoming folder",
    )
    exam.refresh_from_db()
    assert (exam.findings["distribution"], exam.findings["production"]) == (True, False)
    facts = exhibits_policy_facts(case)
    assert facts["production_or_distribution"] is True
    assert facts["contact_sexual_offending"] is True
    audit = AuditEvent.objects.filter(scope="case.exhibit.findings").get()
    assert audit.details["distribution"] is True


def test_permission_matrix(world, exam, sign_in):
    case, exhibit, users = world
    base = f"/cases/{case.pk}/exhibits/{exhibit.pk}/examinations/{exam.pk}"
    allowed = frozenset({Role.FORENSIC_EXAMINER})
    assert_matrix(
        {f"{base}/grading": allowed, f"{base}/sample-review": allowed, f"{base}/findings": allowed},
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_grading_page_applies_and_refuses(world, exam, case_client):
    case, exhibit, users = world
    client = case_client(users[Role.FORENSIC_EXAMINER], case)
    url = f"/cases/{case.pk}/exhibits/{exhibit.pk}/examinations/{exam.pk}/grading"
    page = client.get(url).content.decode()
    assert "Ungraded material on this examination: <strong>4</strong>" in page
    bad = SimpleUploadedFile("g.csv", f"sha256,category\n{sha('nope')},A\n".encode())
    response = client.post(url, {"grading_file": bad, "profile": ""})
    assert response.status_code == 400
    assert "GRADING_UNKNOWN_HASH" in response.content.decode()
    good = SimpleUploadedFile("g.csv", f"sha256,category\n{sha('DCIM/u.jpg')},C\n".encode())
    response = client.post(url, {"grading_file": good, "profile": ""})
    assert response.status_code == 302
    exam.refresh_from_db()
    assert (exam.ungraded, exam.category_c) == (3, 4)
    findings = client.get(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examinations/{exam.pk}/findings"
    ).content.decode()
    assert "eMule (1)" in findings


def test_a_large_grading_file_is_applied_in_bounded_lookups(world):
    _, exhibit, users = world
    records = [record(f"big/{n}.jpg") for n in range(4500)]
    report, listing = triage_output(records)
    exam = examination_import(
        actor=users[Role.FORENSIC_EXAMINER],
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=sign(report),
    )
    assert exam.ungraded == 4500
    content = "sha256,category\n" + "".join(f"{sha(f'big/{n}.jpg')},C\n" for n in range(4500))
    counts = examination_grading_import(
        actor=users[Role.FORENSIC_EXAMINER], examination=exam, content=content.encode()
    )
    assert counts["C"] == 4500
    exam.refresh_from_db()
    assert (exam.ungraded, exam.category_c) == (0, 4500)
