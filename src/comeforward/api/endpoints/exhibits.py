"""Exhibits and their examinations; importing a signed triage report
(docs/triage-report-signing.md)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Header, Router, Status, UploadedFile

from comeforward.audit.operations import Operation
from comeforward.cases import selectors as case_selectors
from comeforward.exhibits import selectors as exhibit_selectors
from comeforward.exhibits import services as exhibit_services

from .. import calls, services
from ..schemas import ExaminationOut, ExhibitDetail, ExhibitList
from ..security import ClientToken

router = Router(tags=["exhibits"])

#: Largest triage import (report, listing, signature and export together).
MAX_IMPORT_BYTES = int(getattr(settings, "API_MAX_IMPORT_BYTES", 512 * 1024 * 1024))

EXHIBIT_FIELDS = (
    "reference",
    "kind",
    "description",
    "make",
    "model",
    "serial_number",
    "seal_number",
    "storage_location",
    "disposal",
    "received_at",
)
EXAMINATION_FIELDS = (
    "imported_at",
    "tool_name",
    "tool_version",
    "category_a",
    "category_b",
    "category_c",
    "uncategorised",
    "known_good",
    "unmatched_images",
    "total_files",
    "total_bytes",
    "report_sha256",
    "signer_fingerprint",
)


def exhibit_out(exhibit) -> dict:
    return {
        "id": exhibit.pk,
        "case_id": exhibit.case_id,
        **{f: getattr(exhibit, f) for f in EXHIBIT_FIELDS},
    }


def examination_out(examination) -> dict:
    return {"id": examination.pk, **{f: getattr(examination, f) for f in EXAMINATION_FIELDS}}


@router.get(
    "/cases/{case_id}/exhibits",
    response=ExhibitList,
    auth=ClientToken("exhibits:read"),
    operation_id="exhibits_list",
    summary="List a case's exhibits",
)
def exhibits_list(request: HttpRequest, case_id: int):
    calls.require_role(request, calls.EXHIBIT_VIEWERS, "read exhibits")
    case = case_selectors.case_get_for_user(request.user, case_id=case_id)
    exhibits = exhibit_selectors.exhibits_for_case(case)
    calls.audit_call(request, [case.reference, *(f"exhibit:{e.pk}" for e in exhibits)])
    return calls.respond(request, {"items": [exhibit_out(e) for e in exhibits]})


@router.get(
    "/cases/{case_id}/exhibits/{exhibit_id}",
    response=ExhibitDetail,
    auth=ClientToken("exhibits:read"),
    operation_id="exhibits_read",
    summary="Read an exhibit and its examinations",
)
def exhibits_read(request: HttpRequest, case_id: int, exhibit_id: int):
    calls.require_role(request, calls.EXHIBIT_VIEWERS, "read exhibits")
    exhibit = exhibit_selectors.exhibit_get_for_user(
        request.user, case_id=case_id, exhibit_id=exhibit_id
    )
    examinations = exhibit_selectors.examinations_of(exhibit)
    calls.audit_call(request, [exhibit.case.reference, f"exhibit:{exhibit.pk}"])
    return {**exhibit_out(exhibit), "examinations": [examination_out(e) for e in examinations]}


@router.post(
    "/cases/{case_id}/exhibits/{exhibit_id}/examinations",
    response={201: ExaminationOut},
    auth=ClientToken("triage:import", max_body=MAX_IMPORT_BYTES),
    operation_id="examinations_import",
    summary="Import a signed triage report",
)
def examinations_import(
    request: HttpRequest,
    case_id: int,
    exhibit_id: int,
    report: File[UploadedFile],
    files: File[UploadedFile],
    signature: File[UploadedFile],
    new_material: File[UploadedFile] | None = None,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
):
    """Import a triage run as an examination of the exhibit, exactly as the exhibit page does:
    ``report`` (report.json), ``files`` (files.jsonl), ``signature`` (report.json.sig by a
    key registered to the force) and, optionally, ``new_material`` (new-material.vics.json).
    The signature, the report's seal over the listing, its counts and its exhibit reference
    are checked; each signed report is imported once."""
    exhibit = exhibit_selectors.exhibit_get_for_user(
        request.user, case_id=case_id, exhibit_id=exhibit_id
    )
    calls.require_case_action(
        request,
        exhibit.case,
        "exhibits.examination_import",
        roles=calls.TRIAGE_IMPORTERS,
        doing="import a triage report",
    )
    key = services.idempotency_key_check(idempotency_key)
    report_bytes = report.read()
    signature_bytes = signature.read()
    new_material_bytes = new_material.read() if new_material is not None else None
    files_digest = hashlib.sha256()
    for chunk in files.chunks():
        files_digest.update(chunk)
    files.seek(0)

    def create():
        examination = exhibit_services.examination_import(
            actor=request.user,
            exhibit=exhibit,
            report_bytes=report_bytes,
            files_stream=files,
            new_material_bytes=new_material_bytes,
            signature_bytes=signature_bytes,
        )
        calls.audit_call(
            request,
            [exhibit.case.reference, f"exhibit:{exhibit.pk}", f"examination:{examination.pk}"],
            operation=Operation.COLLECT,
        )
        return 201, ExaminationOut.model_validate(examination_out(examination)).model_dump(
            mode="json"
        )

    replay = services.idempotent_create(
        client=request.api_client,  # type: ignore[attr-defined]
        key=key,
        operation=f"examinations_import:{exhibit.pk}",
        fingerprint=services.request_fingerprint(
            exhibit.pk,
            report_bytes,
            files_digest.digest(),
            signature_bytes,
            new_material_bytes or b"",
        ),
        create=create,
    )
    return Status(replay.status, replay.body)
