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
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import JustificationRequired, audit_record
from comeforward.cases.extensions import require_action
from comeforward.cases.services import case_tasks_reconcile

from . import permissions
from .errors import (
    CustodyEventNotAllowed,
    ExhibitDisposed,
    ExhibitReferenceTaken,
    GradingFileInvalid,
    GradingUnknownHash,
    InvalidDepictedAge,
    ReportAlreadyImported,
    ReportSignerUnknown,
    SampleReviewInvalid,
)
from .grading import HASH_WIDTHS, parse_grading_file
from .models import (
    FINAL_CUSTODY_EVENTS,
    CustodyEvent,
    CustodyEventKind,
    Examination,
    Exhibit,
    NewMaterialExport,
    TriageSigningKey,
    UngradedItem,
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
    require_action(actor, case, permissions.RECORD)
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
            details={"reference": reference, "fields": {"reference": "taken"}},
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
    _require_on_exhibit(actor, exhibit, "custody")
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
    _require_on_exhibit(actor, exhibit, "examination_import")
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
            unmatched_videos=result.unmatched_videos,
            ungraded=result.categories["UNCATEGORISED"]
            + result.unmatched_images
            + result.unmatched_videos,
            suggestions={"file_sharing": result.file_sharing} if result.file_sharing else {},
        )
        UngradedItem.objects.bulk_create(
            (
                UngradedItem(examination=examination, kind=kind, md5=md5, sha1=sha1, sha256=sha256)
                for kind, md5, sha1, sha256 in result.ungraded_items
            ),
            batch_size=5000,
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
                "unmatched_videos": result.unmatched_videos,
                "pdq_matched": examination.pdq_matched,
                "series_matches": result.series_matches,
                "victim_identified_matches": result.victim_identified_matches,
                "new_material_count": examination.new_material_count,
                "new_material_sha256": export_sha256,
                "run_id": result.run_id,
                "signer_fingerprint": signer.fingerprint,
                "signing_key": signer.pk,
                "ungraded": examination.ungraded,
                "suggestions": examination.suggestions,
            },
        )
        case_tasks_reconcile(actor=actor, case=examination.exhibit.case)
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
    case = export.examination.exhibit.case
    rule = permissions.for_examination(actor, case, new_material=True)
    permissions.require(rule["disclose_new_material"])
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


# --- Ungraded material, grading and findings (issue 12.2; domain-rules.md §4.7 E3/E5/E7) ---


def _require_on_exhibit(actor, exhibit: Exhibit, verb: str) -> None:
    """The one rule (``permissions``) for this exhibit; a disposal is checked again in the
    transaction against a concurrent one."""
    rule = permissions.for_exhibit(actor, exhibit.case, exhibit)
    permissions.require(rule[verb], disposal=exhibit.disposal)


def _require_examiner(actor, examination: Examination) -> None:
    """The one rule (``permissions``): grading, a sample review and findings are the
    examiner's (``EXAMINER_REQUIRED``)."""
    rule = permissions.for_examination(actor, examination.exhibit.case, new_material=False)
    permissions.require(rule["examine"])


def _examination_audit(actor, examination: Examination, scope: str, details: dict) -> None:
    _audit(
        actor,
        examination.exhibit,
        Operation.COLLECT,
        scope,
        {"examination": examination.pk, **details},
    )


def examination_grading_import(
    *, actor, examination: Examination, content: bytes, profile: str | None = None
) -> dict[str, int]:
    """Apply an examiner's grading file (VICS JSON or CSV keyed by hash; ``grading``) to the
    examination's ungraded items: each graded item leaves the ungraded count and joins its
    category count (or *not indecent*), with who graded and when. All or nothing: an unknown
    hash, an item already graded, a malformed file or a bad category refuses the whole file
    with the line or record numbers, and nothing is applied."""
    _require_examiner(actor, examination)
    records = parse_grading_file(content, profile=profile)
    file_sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        examination = Examination.objects.select_for_update().get(pk=examination.pk)
        items: dict[tuple[str, str], UngradedItem] = {}
        for algorithm in HASH_WIDTHS:
            wanted = sorted({r.digest for r in records if r.algorithm == algorithm})
            for start in range(0, len(wanted), 2000):  # bounded IN lists (SQLite, PostgreSQL)
                lookup = {f"{algorithm}__in": wanted[start : start + 2000]}
                for item in UngradedItem.objects.filter(examination=examination, **lookup):
                    items[(algorithm, getattr(item, algorithm))] = item
        unknown = [r.position for r in records if (r.algorithm, r.digest) not in items]
        if unknown:
            raise GradingUnknownHash(
                f"{len(unknown)} hash(es) are not ungraded items of this examination",
                details={"positions": unknown[:100], "count": len(unknown)},
            )
        seen: set[int] = set()
        repeated = []
        already = []
        for r in records:
            item = items[(r.algorithm, r.digest)]
            if item.pk in seen:
                repeated.append(r.position)
            seen.add(item.pk)
            if item.grade:
                already.append(r.position)
        if repeated or already:
            raise GradingFileInvalid(
                "The file grades an item twice, or an item already graded",
                details={"repeated": repeated[:100], "already_graded": already[:100]},
                code="GRADING_DUPLICATE",
            )
        now = timezone.now()
        counts = {"A": 0, "B": 0, "C": 0, "not_indecent": 0}
        for r in records:
            item = items[(r.algorithm, r.digest)]
            item.grade, item.graded_by, item.graded_at = r.grade, actor, now
            item.grading_file_sha256 = file_sha256
            item.depicted_age = r.age
            counts[r.grade] += 1
        UngradedItem.objects.bulk_update(
            [items[(r.algorithm, r.digest)] for r in records],
            ["grade", "graded_by", "graded_at", "grading_file_sha256", "depicted_age"],
            batch_size=5000,
        )
        # The youngest apparent age of an indecent item lowers the examination's (12.7).
        ages = [r.age for r in records if r.age is not None and r.grade in ("A", "B", "C")]
        age_fields: list[str] = []
        if ages and (
            examination.youngest_depicted_age is None
            or min(ages) < examination.youngest_depicted_age
        ):
            examination.youngest_depicted_age = min(ages)
            examination.youngest_depicted_age_by = actor
            examination.youngest_depicted_age_at = now
            age_fields = [
                "youngest_depicted_age",
                "youngest_depicted_age_by",
                "youngest_depicted_age_at",
            ]
        examination.category_a += counts["A"]
        examination.category_b += counts["B"]
        examination.category_c += counts["C"]
        examination.graded_not_indecent += counts["not_indecent"]
        examination.ungraded -= len(records)
        examination.save(
            update_fields=[
                "category_a",
                "category_b",
                "category_c",
                "graded_not_indecent",
                "ungraded",
                *age_fields,
            ]
        )
        _examination_audit(
            actor,
            examination,
            "case.exhibit.grading",
            {
                "file_sha256": file_sha256,
                "graded": counts,
                "ungraded_left": examination.ungraded,
                "profile": profile or "",
                "youngest_depicted_age": examination.youngest_depicted_age,
            },
        )
    return counts


def examination_sample_review_certify(
    *, actor, examination: Examination, sample_size: int, reason: str
) -> Examination:
    """An examiner certifies a reasoned sample review of the ungraded material: diversion
    stays blocked (E3/E7) until the material is graded or this is recorded."""
    _require_examiner(actor, examination)
    if not reason.strip() or len(reason.strip()) < 20:
        raise SampleReviewInvalid(
            "Give the reasons for relying on a sample (at least a sentence)",
            details={"field": "reason"},
        )
    with transaction.atomic():
        examination = Examination.objects.select_for_update().get(pk=examination.pk)
        if examination.ungraded == 0:
            raise SampleReviewInvalid(
                "Nothing is ungraded on this examination", details={"ungraded": 0}
            )
        if sample_size < 1 or sample_size > examination.ungraded:
            raise SampleReviewInvalid(
                f"The sample must be between 1 and {examination.ungraded} items",
                details={"field": "sample_size", "ungraded": examination.ungraded},
            )
        examination.sample_review_size = sample_size
        examination.sample_review_reason = reason.strip()
        examination.sample_review_certified_by = actor
        examination.sample_review_certified_at = timezone.now()
        examination.save(
            update_fields=[
                "sample_review_size",
                "sample_review_reason",
                "sample_review_certified_by",
                "sample_review_certified_at",
            ]
        )
        _examination_audit(
            actor,
            examination,
            "case.exhibit.sample_review",
            {"sample_size": sample_size, "ungraded": examination.ungraded},
        )
    return examination


def examination_findings_record(
    *,
    actor,
    examination: Examination,
    production: bool,
    distribution: bool,
    contact_offending: bool,
    notes: str = "",
    youngest_depicted_age: int | None = None,
) -> Examination:
    """The examiner's structured findings (production such as camera originals, distribution
    such as file-sharing folders or sent items, contact-offending indicators): policy facts
    for E4/E5. The listing's suggestions are only suggestions: this is the confirmation.

    ``youngest_depicted_age``: the apparent age in years of the youngest person depicted
    (0–17), ``None`` for not known (issue 12.7): the caution form takes it from here."""
    _require_examiner(actor, examination)
    if youngest_depicted_age is not None and not 0 <= youngest_depicted_age <= 17:
        raise InvalidDepictedAge(
            "The apparent age must be between 0 and 17 years, or not known",
            details={"field": "youngest_depicted_age", "value": youngest_depicted_age},
        )
    with transaction.atomic():
        examination = Examination.objects.select_for_update().get(pk=examination.pk)
        if examination.youngest_depicted_age != youngest_depicted_age:
            examination.youngest_depicted_age = youngest_depicted_age
            examination.youngest_depicted_age_by = actor
            examination.youngest_depicted_age_at = timezone.now()
            examination.save(
                update_fields=[
                    "youngest_depicted_age",
                    "youngest_depicted_age_by",
                    "youngest_depicted_age_at",
                ]
            )
        examination.findings = {
            "production": bool(production),
            "distribution": bool(distribution),
            "contact_offending": bool(contact_offending),
            "notes": notes.strip()[:5000],
            "recorded_by": actor.pk,
            "recorded_at": timezone.now().isoformat(),
        }
        examination.save(update_fields=["findings"])
        _examination_audit(
            actor,
            examination,
            "case.exhibit.findings",
            {
                "production": bool(production),
                "distribution": bool(distribution),
                "contact_offending": bool(contact_offending),
                "youngest_depicted_age": youngest_depicted_age,
            },
        )
    return examination
