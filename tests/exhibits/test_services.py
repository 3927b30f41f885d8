"""Exhibit services: records, custody chain, examination import, audit, workflow facts."""

from __future__ import annotations

import io
import json

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.domain.workflow import CaseTransitionNotAllowed
from comeforward.cases.services import case_transition
from comeforward.exhibits.errors import (
    CustodyEventNotAllowed,
    ExhibitDisposed,
    ExhibitReferenceTaken,
    ReportExhibitMismatch,
    ReportSealMismatch,
)
from comeforward.exhibits.models import CustodyEvent, Examination, Exhibit
from comeforward.exhibits.selectors import custody_log, exhibits_facts, exhibits_for_case
from comeforward.exhibits.services import (
    _lines,
    custody_event_record,
    examination_import,
    examination_import_from_paths,
    exhibit_record,
)
from comeforward.roles import Role

from ..factories import CaseFactory
from .triage_files import TEST_SIGNER, sign, triage_output, write_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVESTIGATOR)


@pytest.fixture
def examiner(make_user):
    return make_user(Role.FORENSIC_EXAMINER)


def _exhibit(officer, case, reference="js/1", **fields):
    return exhibit_record(
        actor=officer,
        case=case,
        reference=reference,
        kind=fields.pop("kind", "laptop"),
        description=fields.pop("description", "Silver laptop"),
        storage_location=fields.pop("storage_location", "Property store, shelf 4"),
        **fields,
    )


def test_exhibit_record_appends_received(officer):
    case = CaseFactory()
    exhibit = _exhibit(officer, case, seal_number="SEAL-001", make="Acme", serial_number="SN1")
    assert (exhibit.reference, exhibit.kind, exhibit.seal_number) == ("JS/1", "laptop", "SEAL-001")
    [event] = custody_log(exhibit)
    assert (event.kind, event.actor, event.from_location, event.to_location, event.seal_number) == (
        "received",
        officer,
        "Handed in by the person",
        "Property store, shelf 4",
        "SEAL-001",
    )
    audit = AuditEvent.objects.get(scope="case.exhibit")
    assert (audit.operation, audit.subject_id, audit.details) == (
        "collect",
        str(case.pk),
        {"exhibit": exhibit.pk, "reference": "JS/1", "kind": "laptop"},
    )


def test_reference_unique_per_case_only(officer):
    case = CaseFactory()
    _exhibit(officer, case)
    with pytest.raises(ExhibitReferenceTaken) as error:
        _exhibit(officer, case, reference="JS/1")
    assert error.value.code == "EXHIBIT_REFERENCE_TAKEN"
    assert Exhibit.objects.count() == 1
    assert CustodyEvent.objects.count() == 1
    _exhibit(officer, CaseFactory(), reference="JS/1")  # another case may use JS/1
    assert Exhibit.objects.count() == 2


def test_custody_chain(officer):
    exhibit = _exhibit(officer, CaseFactory())
    moved = custody_event_record(
        actor=officer,
        exhibit=exhibit,
        kind="moved",
        to_location="Digital forensics unit",
        purpose="For examination",
        seal_number="SEAL-002",
    )
    exhibit.refresh_from_db()
    assert (moved.from_location, moved.to_location) == (
        "Property store, shelf 4",
        "Digital forensics unit",
    )
    assert (exhibit.storage_location, exhibit.seal_number) == ("Digital forensics unit", "SEAL-002")
    custody_event_record(actor=officer, exhibit=exhibit, kind="destroyed", purpose="Court order")
    exhibit.refresh_from_db()
    assert exhibit.disposal == "destroyed"
    assert [e.kind for e in custody_log(exhibit)] == ["received", "moved", "destroyed"]
    with pytest.raises(ExhibitDisposed):
        custody_event_record(
            actor=officer, exhibit=exhibit, kind="moved", purpose="x", to_location="y"
        )
    assert AuditEvent.objects.filter(scope="case.exhibit.custody").count() == 2


@pytest.mark.parametrize("kind", ["received", "examined", "lost"])
def test_automatic_or_unknown_custody_events_refused(officer, kind):
    exhibit = _exhibit(officer, CaseFactory())
    with pytest.raises(CustodyEventNotAllowed):
        custody_event_record(actor=officer, exhibit=exhibit, kind=kind, purpose="x")


def test_custody_rows_are_never_changed(officer):
    exhibit = _exhibit(officer, CaseFactory())
    event = exhibit.custody_events.get()
    event.purpose = "Rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        CustodyEvent.objects.filter(pk=event.pk).update(purpose="Rewritten")
    with pytest.raises(ValueError, match="append-only"):
        CustodyEvent.objects.all().delete()


def test_examination_import_from_paths(officer, examiner, tmp_path):
    case = CaseFactory()
    exhibit = _exhibit(officer, case)
    report_path, files_path = write_run(tmp_path)
    exam = examination_import_from_paths(
        actor=examiner, exhibit=exhibit, report_path=report_path, files_path=files_path
    )
    exam.refresh_from_db()
    assert (exam.category_a, exam.category_b, exam.category_c, exam.uncategorised) == (1, 1, 2, 1)
    assert (exam.unmatched_images, exam.known_good, exam.total_errors, exam.total_files) == (
        3,
        1,
        1,
        11,
    )
    assert (exam.report_exhibit, exam.report_examiner, exam.tool_version) == (
        "JS/1",
        "F. Examiner",
        "0.1.0",
    )
    import hashlib

    assert exam.report_sha256 == hashlib.sha256(report_path.read_bytes()).hexdigest()
    assert exam.summary["files_listed"] == 11
    last = custody_log(exhibit)[-1]
    assert (last.kind, last.actor) == ("examined", examiner)
    assert exam.report_sha256 in last.purpose
    audit = AuditEvent.objects.get(scope="case.exhibit.examination")
    assert audit.details == {
        "exhibit": exhibit.pk,
        "reference": "JS/1",
        "examination": exam.pk,
        "report_sha256": exam.report_sha256,
        "categories": {"A": 1, "B": 1, "C": 2, "UNCATEGORISED": 1},
        "unmatched_images": 3,
        "unmatched_videos": 0,
        "pdq_matched": None,
        "series_matches": 0,
        "victim_identified_matches": 0,
        "new_material_count": None,
        "new_material_sha256": None,
        "run_id": exam.run_id,
        "signer_fingerprint": TEST_SIGNER.fingerprint,
        "signing_key": exam.signing_key_id,
        "ungraded": 4,
        "suggestions": {},
    }
    assert exam.signer_fingerprint == TEST_SIGNER.fingerprint
    assert exam.run_id == json.loads(report_path.read_bytes())["run_id"]
    assert TEST_SIGNER.fingerprint in last.purpose
    assert exhibits_for_case(case)[0].latest_examination == exam


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: (triage_output()[0], triage_output()[1] + b"\n"), ReportSealMismatch),
        (lambda: triage_output(exhibit="JS/9"), ReportExhibitMismatch),
    ],
)
def test_refused_import_saves_nothing(officer, examiner, make, error):
    exhibit = _exhibit(officer, CaseFactory())
    report, listing = make()
    with pytest.raises(error):
        examination_import(
            actor=examiner,
            exhibit=exhibit,
            report_bytes=report,
            files_stream=io.BytesIO(listing),
            signature_bytes=sign(report),
        )
    assert Examination.objects.count() == 0
    assert [e.kind for e in custody_log(exhibit)] == ["received"]
    assert not AuditEvent.objects.filter(scope="case.exhibit.examination").exists()


def test_streamed_lines_are_exactly_the_bytes(officer):
    data = b'{"a": 1}\n{"b": 2}\n\n{"c": 3}'
    assert list(_lines(io.BytesIO(data), chunk_size=3)) == [
        b'{"a": 1}\n',
        b'{"b": 2}\n',
        b"\n",
        b'{"c": 3}',
    ]


def test_facts_and_workflow(officer, examiner):
    case = CaseFactory(state=S.DEVICES_RECEIVED)
    assert exhibits_facts(case) == {"exhibits_received": 0, "exhibits_untriaged": 0}
    with pytest.raises(CaseTransitionNotAllowed):
        case_transition(actor=officer, case=case, to_state=S.FORENSIC_REVIEW)
    first = _exhibit(officer, case)
    _exhibit(officer, case, reference="JS/2", kind="phone")
    assert exhibits_facts(case) == {"exhibits_received": 2, "exhibits_untriaged": 2}
    case = case_transition(actor=officer, case=case, to_state=S.FORENSIC_REVIEW)
    for _ in range(2):  # two runs over the same exhibit
        report, listing = triage_output()
        examination_import(
            actor=examiner,
            exhibit=first,
            report_bytes=report,
            files_stream=io.BytesIO(listing),
            signature_bytes=sign(report),
        )
    assert exhibits_facts(case) == {"exhibits_received": 2, "exhibits_untriaged": 1}
    with pytest.raises(CaseTransitionNotAllowed) as refusal:
        case_transition(actor=officer, case=case, to_state=S.INTERVIEW)
    assert [u["code"] for u in refusal.value.details["unmet"]] == ["EXHIBITS_NOT_TRIAGED"]
