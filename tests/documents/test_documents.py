"""PDF documents: exact content and marking (parsed with pdftotext), stored hash, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.audit.services import JustificationRequired
from comeforward.cases.services import case_team_add
from comeforward.decisions import services as decision_services
from comeforward.documents.registry import DocumentUnavailable
from comeforward.documents.render import ForbiddenResource, restricted_url_fetcher
from comeforward.documents.services import document_generate
from comeforward.roles import Role

from ..decisions.helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case
from ..web.matrix import assert_matrix

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (apt poppler-utils) is not installed"
)


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")


@pytest.fixture
def cautioned(make_user, police_force):
    case = decision_case(police_force)
    a = make_user(Role.SUPERVISOR, full_name="Ada Approver")
    b = make_user(Role.SUPERVISOR, full_name="Ben Second")
    decision_services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = decision_services.decision_record(
        actor=a,
        case=case,
        outcome="divert",
        reason_code="meets_criteria",
        reason_text="Every criterion met",
    )
    decision_services.decision_approve(actor=b, decision=decision, approve=True)
    decision_services.caution_record(
        actor=b,
        case=case,
        kind="conditional_caution",
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=dt.date(2026, 3, 2),
        conditions=[
            {
                "kind": "attend_treatment",
                "description": "Attend the group programme",
                "deadline": dt.date(2026, 7, 20),
            },
            {"kind": "not_access_iioc", "description": "Not to access IIOC", "deadline": None},
        ],
        requirements=S23_MET,
    )
    return case, a, b


@needs_pdftotext
def test_caution_record_pdf_content_marking_hash_and_audit(cautioned):
    case, a, _ = cautioned
    document = document_generate(
        actor=a, case=case, kind="caution_record", justification="For the case file"
    )
    data = bytes(document.content)
    assert data.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    text = pdf_text(data)
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert pages and all(page.count("OFFICIAL-SENSITIVE") == 2 for page in pages)
    assert "Caution record" in text
    assert f"Case {case.reference}" in text
    assert "Conditional caution (CJA 2003 Part 3)" in text
    assert "2 March 2026" in text
    assert "Yes: 2 years from 2 March 2026, last day 1 March 2028." in " ".join(text.split())
    assert "Initial notification due by 4 March 2026." in " ".join(text.split())
    flat = " ".join(text.split())
    assert (
        "Attend and complete the treatment programme: Attend the group programme. "
        "Deadline: 20 July 2026." in flat
    )
    assert (
        "Not to access indecent images of children or CSAM: Not to access IIOC. Deadline: none."
        in flat
    )
    assert "Requirements for the caution (CJA 2003 s.23)" in flat
    assert "Signed on paper: the scanned document's reference: SCAN-2026-0042" in flat
    assert "Recorded interview of 12 January 2026 (DIR-0001)" in flat
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope, event.justification) == (
        "disclose",
        "document.caution_record",
        "For the case file",
    )
    assert event.details == {
        "document": document.pk,
        "sha256": document.sha256,
        "kind": "caution_record",
    }


@needs_pdftotext
def test_decision_record_pdf_lists_the_criteria_as_recorded(cautioned):
    case, a, _ = cautioned
    document = document_generate(
        actor=a, case=case, kind="decision_record", justification="For the case file"
    )
    text = " ".join(pdf_text(bytes(document.content)).split())
    assert "Divert: caution with conditions" in text
    assert "Decided by Ada Approver" in text
    assert "Approved by Ben Second" in text
    assert "Criteria under policy default-2026.1" in text
    assert "E7 Image severity and volume" in text
    assert "Category A 0, B 2, C 10: within the thresholds" in text


def test_generation_needs_a_purpose_and_an_allowed_role(cautioned, make_user, police_force):
    case, a, _ = cautioned
    with pytest.raises(JustificationRequired):
        document_generate(actor=a, case=case, kind="caution_record", justification=" ")
    with pytest.raises(DocumentUnavailable):
        document_generate(
            actor=make_user(Role.INTAKE_OFFICER),
            case=case,
            kind="caution_record",
            justification="For the case file",
        )
    with pytest.raises(DocumentUnavailable) as caught:
        document_generate(
            actor=a,
            case=decision_case(police_force),
            kind="caution_record",
            justification="For the case file",
        )
    assert caught.value.message == "No caution is recorded on this case yet"


@pytest.mark.parametrize(
    "url", ["http://example.com/x.css", "file:///etc/passwd", "static:../../../etc/passwd"]
)
def test_url_fetcher_reaches_no_network_and_no_other_file(url):
    with pytest.raises(ForbiddenResource):
        restricted_url_fetcher(url)


def test_pages_generate_and_download_with_permissions(cautioned, make_user, sign_in):
    case, a, _ = cautioned
    users = {role: make_user(role) for role in Role.values}
    case_team_add(actor=None, case=case, user=users[Role.INVESTIGATOR])
    document = document_generate(
        actor=a, case=case, kind="decision_record", justification="For the case file"
    )
    matrix = {
        f"/cases/{case.pk}/documents/generate": frozenset({Role.SUPERVISOR, Role.INVESTIGATOR}),
        f"/cases/{case.pk}/documents/{document.pk}.pdf": frozenset(
            {Role.SUPERVISOR, Role.INVESTIGATOR}
        ),
    }
    assert_matrix(matrix, users, sign_in, remember_reason_for=("case", case.pk))


def _pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (object streams hold the catalogue)."""
    import re
    import zlib

    inflated = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


@needs_pdftotext
@pytest.mark.parametrize("kind", ["caution_record", "decision_record"])
def test_documents_are_tagged_pdfs_with_a_title_and_a_language(cautioned, kind):
    case, a, _ = cautioned
    document = document_generate(actor=a, case=case, kind=kind, justification="For the file")
    data = bytes(document.content)
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    lines = dict(line.split(":", 1) for line in info.stdout.decode().splitlines() if ":" in line)
    assert lines["Tagged"].strip() == "yes"
    assert lines["Title"].strip().endswith(f"— {case.reference}")
    objects = _pdf_objects(data)
    assert b"/Lang (en-GB)" in objects
    assert b"/StructTreeRoot" in objects and b"/DisplayDocTitle true" in objects


def test_download_checks_the_documents_own_kind(cautioned, make_user, sign_in):
    """An offender manager may make a caution record but not read the decision record, even
    on a case they are on (issue 11.8)."""
    case, a, _ = cautioned
    manager = make_user(Role.OFFENDER_MANAGER)
    case_team_add(actor=None, case=case, user=manager)
    decision = document_generate(
        actor=a, case=case, kind="decision_record", justification="For the case file"
    )
    caution = document_generate(
        actor=a, case=case, kind="caution_record", justification="For the case file"
    )
    assert_matrix(
        {
            f"/cases/{case.pk}/documents/{decision.pk}.pdf": frozenset(),
            f"/cases/{case.pk}/documents/{caution.pk}.pdf": frozenset({"manager"}),
        },
        {"manager": manager},
        sign_in,
        remember_reason_for=("case", case.pk),
    )
    from comeforward.documents.selectors import documents_for_case

    assert [d.kind for d in documents_for_case(manager, case)] == ["caution_record"]
