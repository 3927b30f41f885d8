"""Triage of an exhibit as a background job (triage issue point 9).

A forensic examiner names the exhibit's image or folder as the worker sees it; a background
worker runs the Django-free triage engine (``comeforward_triage``) with the force's reference
hash sets, signs the report with the installation's worker key
(``signing_keys.worker_signer``, issue 11.4), then imports the signed report through the
same checks as an uploaded one (``services.examination_import``), which appends the
"examined" custody entry; the run's ``new-material.vics.json`` is imported with it (its seal
checked against the report). A worker that dies mid-run is restarted on the same output
folder and the engine resumes from its journal.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import InvalidInput

from . import permissions
from .errors import EvidencePathNotAllowed, EvidencePathNotFound, ExhibitDisposed
from .models import Exhibit, TriageJob, TriageJobStatus, TriageReader

logger = logging.getLogger(__name__)


def evidence_roots() -> list[Path]:
    return [Path(root).resolve() for root in getattr(settings, "TRIAGE_EVIDENCE_ROOTS", [])]


def _check_source(source_path: str) -> Path:
    """The path must exist and lie inside a configured evidence root (no ``..`` escapes)."""
    path = Path(source_path.strip()).resolve()
    roots = evidence_roots()
    if not any(path == root or root in path.parents for root in roots):
        raise EvidencePathNotAllowed(
            "The worker may only read evidence under the configured evidence folders",
            details={"roots": [str(r) for r in roots]},
        )
    if not path.exists():
        raise EvidencePathNotFound("Nothing exists at that path", details={"path": str(path)})
    return path


def output_dir(job: TriageJob) -> Path:
    return Path(settings.TRIAGE_OUTPUT_DIR) / f"job-{job.pk}"


def triage_job_request(
    *, actor, exhibit: Exhibit, source_path: str, reader: str = TriageReader.AUTO
) -> TriageJob:
    """Queue a triage run of ``source_path`` for ``exhibit``; ``reader``: how a folder is
    read (``auto``: one reader in order when the disk spins; ADR 0102, addendum 4)."""
    rule = permissions.for_exhibit(actor, exhibit.case, exhibit)
    permissions.require(rule["triage_job"], disposal=exhibit.disposal)
    if reader not in TriageReader.values:
        raise InvalidInput(
            f"Unknown way of reading: {reader!r}", details={"fields": {"reader": "invalid"}}
        )
    if exhibit.disposal:
        raise ExhibitDisposed(
            f"Exhibit {exhibit.reference} has been {exhibit.disposal}",
            details={"disposal": exhibit.disposal},
        )
    path = _check_source(source_path)
    with transaction.atomic():
        job = TriageJob.objects.create(
            exhibit=exhibit, requested_by=actor, source_path=str(path), reader=reader
        )
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=exhibit.case_id,
            subject_ref=exhibit.case.reference,
            scope="case.exhibit.triage_job",
            details={"exhibit": exhibit.reference, "job": job.pk, "reader": reader},
        )
        transaction.on_commit(lambda: triage_job_task.enqueue(job.pk))
    return job


@task()
def triage_job_task(job_id: int) -> dict:
    """Run (or resume) the triage engine for a job, then import its sealed report."""
    from comeforward_triage.run import RunOptions, triage_run
    from comeforward_triage.vicsexport import FILENAME as NEW_MATERIAL

    from .services import examination_import_from_paths
    from .signing_keys import worker_signer, worker_signing_key_register

    job = TriageJob.objects.select_related("exhibit", "requested_by").get(pk=job_id)
    if job.status == TriageJobStatus.SUCCEEDED:
        return {"job": job.pk, "status": job.status}
    job.status, job.started_at = TriageJobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    out = output_dir(job)
    try:
        # The installation's key (a file outside the database), registered on first use:
        # the report is signed, and imported through the same signature check as an upload.
        signer = worker_signer()
        worker_signing_key_register(signer)
        triage_run(
            RunOptions(
                source=job.source_path,
                out=str(out),
                hashsets=list(getattr(settings, "TRIAGE_HASHSETS", [])),
                known_good=list(getattr(settings, "TRIAGE_KNOWN_GOOD", [])),
                exhibit=job.exhibit.reference,
                examiner=job.requested_by.full_name,
                quiet=True,
                reader=job.reader,  # type: ignore[arg-type]
                signing_key=signer,
            )
        )
        export = out / NEW_MATERIAL
        examination = examination_import_from_paths(
            actor=job.requested_by,
            exhibit=job.exhibit,
            report_path=out / "report.json",
            files_path=out / "files.jsonl",
            new_material_path=export if export.is_file() else None,
        )
    except Exception as error:  # recorded on the job (engine errors carry a stable code)
        code = getattr(error, "code", "TRIAGE_JOB_FAILED")
        logger.warning("Triage job %s failed: %s", job.pk, code)
        job.status, job.finished_at = TriageJobStatus.FAILED, timezone.now()
        job.error_code, job.error_message = code, str(getattr(error, "message", error))[:2000]
        job.save(update_fields=["status", "finished_at", "error_code", "error_message"])
        return {"job": job.pk, "status": job.status, "error": code}
    job.status, job.finished_at, job.examination = (
        TriageJobStatus.SUCCEEDED,
        timezone.now(),
        examination,
    )
    job.save(update_fields=["status", "finished_at", "examination"])
    return {"job": job.pk, "status": job.status, "examination": examination.pk}
