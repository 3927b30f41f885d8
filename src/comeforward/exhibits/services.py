"""Writes about exhibits: one transaction and one audit record each.

The chain of custody (forensic-triage §5.2 item 1; ACPO principle 3, §5.1) is append-only:
recording an exhibit appends "received", importing a triage result appends "examined".

A triage run's ``new-material.vics.json`` (unmatched images as a VICS 2.0 UK case,
forensic-triage §1.7) is stored with its examination once its seal is checked; handing it
out for the national database (CAID) is a *disclosure* (DPA 2018 s.62(1)(d)) with the
justification the examiner gives (s.62(2)).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import Q

from comeforward.audit.operations import Operation
from comeforward.audit.services import JustificationRequired, audit_record

from .errors import (
    CustodyEventNotAllowed,
    ExhibitDisposed,
    ExhibitReferenceTaken,
    ReportAlreadyImported,
    ReportSignerUnknown,
)
from .models import (
    FINAL_CUSTODY_EVENTS,
    CustodyEvent,
    CustodyEventKind,
    Examination,
    Exhibit,
    NewMaterialExport,
    TriageSigningKey,
)
from .signing_keys import report_signer_check
from .triage_import import check_new_material, read_triage_report

#: Custody events an officer records by hand; "received" and "examined" are appended by the
#: services that record the exhibit and its examination.
MANUAL_CUSTODY_EVENTS = (
    CustodyEventKind.MOVED,
    CustodyEventKind.RETURNED,
    CustodyEventKind.DESTROYED,
)


def _audit(actor, exhibit: Exhibit, operation: str, scope: str, details: dict) -> None:
    case = exhibit.case
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="case",
        subject_id=case.pk,
        subject_ref=case.reference,
        scope=scope,
        details={"exhibit": exhibit.pk, "reference": exhibit.reference, **details},
    )


def exhibit_record(
    *,
    actor,
    case,
    reference: str,
    kind: str,
    description: str,
    storage_location: str,
    make: str = "",
    model: str = "",
    serial_number: str = "",
    seal_number: str = "",
    received_from: str = "",
) -> Exhibit:
    """Record a device handed in as an exhibit, with its first custody entry ("received")."""
    reference = reference.strip().upper()
    try:
        with transaction.atomic():
            exhibit = Exhibit.objects.create(
                case=case,
                reference=reference,
                kind=kind,
                description=description.strip(),
                make=make.strip(),
                model=model.strip(),
                serial_number=serial_number.strip(),
                seal_number=seal_number.strip(),
                storage_location=storage_location.strip(),
                recorded_by=actor,
            )
            CustodyEvent.objects.create(
                exhibit=exhibit,
                kind=CustodyEventKind.RECEIVED,
                at=exhibit.received_at,
                actor=actor,
                from_location=received_from.strip() or "Handed in by the person",
                to_location=exhibit.storage_location,
                purpose="Device handed in",
                seal_number=exhibit.seal_number,
            )
            _audit(actor, exhibit, Operation.COLLECT, "case.exhibit", {"kind": kind})
    except IntegrityError:
        raise ExhibitReferenceTaken(
            f"This case already has an exhibit {reference}",
            details={"reference": reference},
        ) from None
    return exhibit


def custody_event_record(
    *,
    actor,
    exhibit: Exhibit,
    kind: str,
    purpose: str,
    to_location: str = "",
    seal_number: str = "",
) -> CustodyEvent:
    """Append a custody entry: moved (to a new location), returned (to whom) or destroyed."""
    if kind not in MANUAL_CUSTODY_EVENTS:
        raise CustodyEventNotAllowed(
            f"A {kind!r} entry is recorded by the service that does it, not by hand",
            details={"kind": kind},
        )
    with transaction.atomic():
        exhibit = Exhibit.objects.select_for_update().select_related("case").get(pk=exhibit.pk)
        if exhibit.disposal:
            raise ExhibitDisposed(
                f"Exhibit {exhibit.reference} has been {exhibit.disposal}: nothing more can be "
                "recorded against it",
                details={"disposal": exhibit.disposal},
            )
        event = CustodyEvent.objects.create(
            exhibit=exhibit,
            kind=kind,
            actor=actor,
            from_location=exhibit.storage_location,
            to_location=to_location.strip(),
            purpose=purpose.strip(),
            seal_number=seal_number.strip(),
        )
        fields = []
        if kind == CustodyEventKind.MOVED and event.to_location:
            exhibit.storage_location = event.to_location
            fields.append("storage_location")
        if seal_number.strip():
            exhibit.seal_number = seal_number.strip()
            fields.append("seal_number")
        if kind in FINAL_CUSTODY_EVENTS:
            exhibit.disposal = kind
            fields.append("disposal")
        if fields:
            exhibit.save(update_fields=fields)
        _audit(
            actor,
            exhibit,
            Operation.ALTER,
            "case.exhibit.custody",
            {"custody_event": event.pk, "kind": kind},
        )
    return event


def _lines(stream: BinaryIO, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """The stream's bytes, split after each newline (exactly the bytes read, in order)."""
    pending = b""
    while chunk := stream.read(chunk_size):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line + b"\n"
    if pending:
        yield pending


def _imported_once(service):
    """A concurrent import of the same run that passed the check in the transaction is
    stopped by the unique constraints (``examination_run_imported_once``,
    ``examination_signed_report_imported_once``): answer it as ``REPORT_ALREADY_IMPORTED``."""

    @functools.wraps(service)
    def wrapper(**kwargs):
        try:
            return service(**kwargs)
        except IntegrityError as error:
            if not any(k in str(error) for k in ("run_id", "report_sha256", "imported_once")):
                raise
            raise ReportAlreadyImported(
                "This triage run has already been imported: each signed report is imported once"
            ) from None

    return wrapper


@_imported_once
def examination_import(
    *,
    actor,
    exhibit: Exhibit,
    report_bytes: bytes,
    files_stream: BinaryIO,
    new_material_bytes: bytes | None = None,
    signature_bytes: bytes | None = None,
) -> Examination:
    """Import a triage result for ``exhibit`` after checking its signature (``report.json.sig``
    by a registered, unrevoked key: ``signing_keys``, issue 11.4), seal, shape, counts and
    exhibit reference (``triage_import``), and, when given, its ``new-material.vics.json``
    against the report's ``new_material.sha256``; a run or report already imported is refused
    (``REPORT_ALREADY_IMPORTED``, checked in the transaction and backed by unique constraints
    so that two concurrent imports cannot both succeed). Nothing is saved if a check fails."""
    signer = report_signer_check(
        report_bytes, signature_bytes, organisation_id=exhibit.case.owning_organisation_id
    )
    result = read_triage_report(
        report_bytes, _lines(files_stream), expected_exhibit=exhibit.reference
    )
    export_sha256 = (
        check_new_material(new_material_bytes, result.new_material)
        if new_material_bytes is not None
        else None
    )
    pdq, new_material = result.pdq, result.new_material
    with transaction.atomic():
        exhibit = Exhibit.objects.select_for_update().select_related("case").get(pk=exhibit.pk)
        if exhibit.disposal:
            raise ExhibitDisposed(
                f"Exhibit {exhibit.reference} has been {exhibit.disposal}",
                details={"disposal": exhibit.disposal},
            )
        # Revoked since the check? (revocation locks the same row)
        signer = TriageSigningKey.objects.select_for_update().get(pk=signer.pk)
        if signer.revoked_at is not None:
            raise ReportSignerUnknown(
                "The key that signed this report has just been revoked",
                details={"key_fingerprint": signer.fingerprint, "revoked": True},
            )
        if Examination.objects.filter(
            Q(run_id=result.run_id) | Q(report_sha256=result.report_sha256)
        ).exists():
            raise ReportAlreadyImported(
                "This triage run has already been imported: each signed report is imported once",
                details={"run_id": result.run_id, "report_sha256": result.report_sha256},
            )
        examination = Examination.objects.create(
            exhibit=exhibit,
            imported_by=actor,
            report_exhibit=result.exhibit,
            report_examiner=result.examiner[:200],
            tool_name=result.tool_name[:100],
            tool_version=result.tool_version[:50],
            started_at=result.started_at[:40],
            finished_at=result.finished_at[:40],
            category_a=result.categories["A"],
            category_b=result.categories["B"],
            category_c=result.categories["C"],
            uncategorised=result.categories["UNCATEGORISED"],
            known_good=result.known_good,
            unmatched_images=result.unmatched_images,
            total_files=result.total_files,
            total_bytes=result.total_bytes,
            total_images=result.total_images,
            total_errors=result.total_errors,
            report_sha256=result.report_sha256,
            files_sha256=result.files_sha256,
            summary=result.summary,
            pdq_radius=pdq.radius if pdq else None,
            pdq_matched=pdq.matched if pdq else None,
            pdq_low_quality=pdq.low_quality if pdq else None,
            series_matches=result.series_matches,
            victim_identified_matches=result.victim_identified_matches,
            new_material_count=new_material.count if new_material else None,
            new_material_files=new_material.files if new_material else None,
            new_material_sha256=new_material.sha256 if new_material else "",
            run_id=result.run_id,
            signer_fingerprint=signer.fingerprint,
            signing_key=signer,
        )
        if export_sha256 is not None:
            NewMaterialExport.objects.create(
                examination=examination,
                content=new_material_bytes,
                sha256=export_sha256,
                size=len(new_material_bytes),
            )
        CustodyEvent.objects.create(
            exhibit=exhibit,
            kind=CustodyEventKind.EXAMINED,
            at=examination.imported_at,
            actor=actor,
            from_location=exhibit.storage_location,
            to_location=exhibit.storage_location,
            purpose=f"Forensic triage ({result.tool_name} {result.tool_version}); "
            f"report sha256 {result.report_sha256}; signed by key {signer.fingerprint}",
        )
        _audit(
            actor,
            exhibit,
            Operation.COLLECT,
            "case.exhibit.examination",
            {
                "examination": examination.pk,
                "report_sha256": result.report_sha256,
                "categories": result.categories,
                "unmatched_images": result.unmatched_images,
                "pdq_matched": examination.pdq_matched,
                "series_matches": result.series_matches,
                "victim_identified_matches": result.victim_identified_matches,
                "new_material_count": examination.new_material_count,
                "new_material_sha256": export_sha256,
                "run_id": result.run_id,
                "signer_fingerprint": signer.fingerprint,
                "signing_key": signer.pk,
            },
        )
    return examination


def examination_import_from_paths(
    *,
    actor,
    exhibit: Exhibit,
    report_path: str | Path,
    files_path: str | Path,
    new_material_path: str | Path | None = None,
) -> Examination:
    """The same, from a triage run's output folder on the server (tests, batch imports);
    the signature is read from ``report.json.sig`` beside the report, if there is one."""
    report_bytes = Path(report_path).read_bytes()
    sig_path = Path(f"{report_path}.sig")
    signature = sig_path.read_bytes() if sig_path.is_file() else None
    export = Path(new_material_path).read_bytes() if new_material_path is not None else None
    with open(files_path, "rb") as files_stream:
        return examination_import(
            actor=actor,
            exhibit=exhibit,
            report_bytes=report_bytes,
            files_stream=files_stream,
            new_material_bytes=export,
            signature_bytes=signature,
        )


def new_material_disclose(
    *, actor, export: NewMaterialExport, justification: str
) -> NewMaterialExport:
    """Hand out an examination's new-material export (for the national database, CAID):
    an audited *disclosure* with its justification (DPA 2018 s.62(1)(d), s.62(2))."""
    if not justification.strip():
        raise JustificationRequired("Give the purpose of this disclosure")
    examination = export.examination
    exhibit = examination.exhibit
    with transaction.atomic():
        audit_record(
            actor=actor,
            operation=Operation.DISCLOSE,
            subject_type="case",
            subject_id=exhibit.case.pk,
            subject_ref=exhibit.case.reference,
            scope="case.exhibit.new_material",
            justification=justification.strip(),
            details={
                "exhibit": exhibit.pk,
                "reference": exhibit.reference,
                "examination": examination.pk,
                "sha256": export.sha256,
                "bytes": export.size,
                "media": examination.new_material_count,
            },
        )
    return export
