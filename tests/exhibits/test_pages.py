"""Exhibit pages: permission matrix, recording, custody, upload of a triage result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comeforward.exhibits.models import CustodyEvent, Examination, Exhibit
from comeforward.exhibits.services import exhibit_record
from comeforward.roles import Role

from ..factories import CaseFactory
from ..web.matrix import assert_matrix
from .triage_files import sign, triage_output

pytestmark = pytest.mark.django_db


def _upload(report: bytes, listing: bytes, signature: bytes | None = None) -> dict:
    """The upload form's files; the signature is the test signer's unless given."""
    return {
        "report": SimpleUploadedFile("report.json", report, "application/json"),
        "signature": SimpleUploadedFile(
            "report.json.sig", sign(report) if signature is None else signature
        ),
        "files_listing": SimpleUploadedFile("files.jsonl", listing, "application/x-ndjson"),
    }


def test_permission_matrix(world, sign_in):
    case, exhibit, users = world
    base = f"/cases/{case.pk}/exhibits"
    recorders = frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR})
    assert_matrix(
        {
            f"{base}/new": recorders,
            f"{base}/{exhibit.pk}/": recorders
            | {Role.FORENSIC_EXAMINER, Role.SUPERVISOR},  # offender manager: not on this team
            f"{base}/{exhibit.pk}/custody": recorders,
            f"{base}/{exhibit.pk}/examination": frozenset({Role.FORENSIC_EXAMINER}),
        },
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_exhibit_of_another_case_is_not_found(world, case_client, police_force):
    case, _, users = world
    other = CaseFactory(owning_organisation=police_force)
    foreign = exhibit_record(
        actor=users[Role.INVESTIGATOR],
        case=other,
        reference="AB/1",
        kind="other",
        description="x",
        storage_location="y",
    )
    client = case_client(users[Role.SUPERVISOR], case)
    assert client.get(f"/cases/{case.pk}/exhibits/{foreign.pk}/").status_code == 404


def test_recording_an_exhibit_through_the_form(world, case_client):
    case, _, users = world
    client = case_client(users[Role.INTAKE_OFFICER], case)
    form = {
        "reference": "js/2",
        "kind": "usb_storage",
        "description": "Blue USB stick",
        "seal_number": "S-9",
        "storage_location": "Property store",
    }
    response = client.post(f"/cases/{case.pk}/exhibits/new", form)
    assert response.status_code == 302
    exhibit = Exhibit.objects.get(case=case, reference="JS/2")
    assert (exhibit.kind, exhibit.seal_number) == ("usb_storage", "S-9")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Exhibit JS/2 recorded" in page
    assert "Blue USB stick" in page
    again = client.post(f"/cases/{case.pk}/exhibits/new", form)
    assert again.status_code == 200
    assert "This case already has an exhibit JS/2" in again.content.decode()


def test_reference_format_checked(world, case_client):
    case, _, users = world
    response = case_client(users[Role.INVESTIGATOR], case).post(
        f"/cases/{case.pk}/exhibits/new",
        {"reference": "exhibit one", "kind": "phone", "description": "x", "storage_location": "y"},
    )
    assert "for example JS/1" in response.content.decode()
    assert Exhibit.objects.filter(case=case).count() == 1


def test_custody_entry_through_the_form(world, case_client):
    case, exhibit, users = world
    client = case_client(users[Role.INVESTIGATOR], case)
    url = f"/cases/{case.pk}/exhibits/{exhibit.pk}/custody"
    missing = client.post(url, {"kind": "moved", "purpose": "Examination"})
    assert "Enter where the exhibit went" in missing.content.decode()
    response = client.post(url, {"kind": "moved", "to_location": "DFU", "purpose": "Examination"})
    assert response["Location"] == f"/cases/{case.pk}/exhibits/{exhibit.pk}/"
    assert list(CustodyEvent.objects.filter(exhibit=exhibit).values_list("kind", flat=True)) == [
        "received",
        "moved",
    ]
    detail = client.get(f"/cases/{case.pk}/exhibits/{exhibit.pk}/").content.decode()
    assert "DFU" in detail and "Examination" in detail


def test_examiner_uploads_a_triage_result(world, case_client):
    case, exhibit, users = world
    client = case_client(users[Role.FORENSIC_EXAMINER], case)
    response = client.post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination", _upload(*triage_output())
    )
    assert response.status_code == 302
    exam = Examination.objects.get(exhibit=exhibit)
    assert exam.imported_by == users[Role.FORENSIC_EXAMINER]
    page = case_client(users[Role.INVESTIGATOR], case).get(f"/cases/{case.pk}/").content.decode()
    assert '<dd class="govuk-summary-list__value" data-testid="count-A">1</dd>' in page
    assert '<dd class="govuk-summary-list__value" data-testid="count-C">2</dd>' in page
    assert '<dd class="govuk-summary-list__value" data-testid="count-unmatched">3</dd>' in page
    assert exam.report_sha256 in page
    assert "DCIM" not in page  # no file paths anywhere


def test_seal_mismatch_is_a_form_error_and_saves_nothing(world, case_client):
    case, exhibit, users = world
    report, listing = triage_output()
    response = case_client(users[Role.FORENSIC_EXAMINER], case).post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination",
        _upload(report, listing.replace(b'"A"', b'"B"')),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<code>REPORT_SEAL_MISMATCH</code>" in html
    assert Examination.objects.count() == 0
    assert CustodyEvent.objects.filter(exhibit=exhibit).count() == 1


def test_report_for_another_exhibit_is_refused(world, case_client):
    case, exhibit, users = world
    response = case_client(users[Role.FORENSIC_EXAMINER], case).post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination",
        _upload(*triage_output(exhibit="JS/2")),
    )
    assert response.status_code == 400
    assert "REPORT_EXHIBIT_MISMATCH" in response.content.decode()
    assert Examination.objects.count() == 0


def test_missing_files_are_form_errors(world, case_client):
    case, exhibit, users = world
    response = case_client(users[Role.FORENSIC_EXAMINER], case).post(
        f"/cases/{case.pk}/exhibits/{exhibit.pk}/examination", {}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the report.json file" in html
    assert "Choose the files.jsonl file" in html


@pytest.mark.parametrize(
    ("role", "sees_panel"),
    [
        (Role.INVESTIGATOR, True),
        (Role.FORENSIC_EXAMINER, True),
        (Role.SUPERVISOR, True),
        (Role.INDEPENDENT_ASSESSOR, False),
    ],
)
def test_panel_visibility(world, case_client, role, sees_panel):
    case, _, users = world
    page = case_client(users[role], case).get(f"/cases/{case.pk}/").content.decode()
    assert ('id="panel-exhibits"' in page) is sees_panel
