"""Exhibits, their append-only chain of custody and forensic examination results
(forensic-triage §5.2 item 1: exhibit, description, continuity — who, when, from/to, seals)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comeforward.encryption.fields import EncryptedTextField


class ExhibitKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    PHONE = "phone", _("Phone")
    TABLET = "tablet", _("Tablet")
    USB_STORAGE = "usb_storage", _("USB storage")
    HARD_DRIVE = "hard_drive", _("Hard drive")
    MEMORY_CARD = "memory_card", _("Memory card")
    OTHER = "other", _("Other")


class CustodyEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    MOVED = "moved", _("Moved")
    EXAMINED = "examined", _("Examined")
    RETURNED = "returned", _("Returned")
    DESTROYED = "destroyed", _("Destroyed")


#: After these, the exhibit has left police hands: nothing more is recorded against it.
FINAL_CUSTODY_EVENTS = frozenset({CustodyEventKind.RETURNED, CustodyEventKind.DESTROYED})


class Exhibit(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="exhibits")
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=ExhibitKind.choices)
    description = models.CharField(max_length=500)
    make = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    seal_number = models.CharField(max_length=50, blank=True)
    storage_location = models.CharField(max_length=200)
    disposal = models.CharField(max_length=20, choices=CustodyEventKind.choices, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reference"], name="exhibit_reference_per_case")
        ]
        indexes = [
            # The case search finds a device by its serial number, any letter case (20.7).
            models.Index(Upper("serial_number"), name="exhibit_serial_upper"),
        ]

    def __str__(self) -> str:
        return self.reference


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("The chain of custody is append-only")

    def delete(self):
        raise ValueError("The chain of custody is append-only")


class CustodyEvent(models.Model):
    """One link in the chain of custody: who, when, from, to, why. Never updated or deleted."""

    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="custody_events")
    kind = models.CharField(max_length=20, choices=CustodyEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_location = models.CharField(max_length=200, blank=True)
    to_location = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=500)
    seal_number = models.CharField(max_length=50, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The chain of custody is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The chain of custody is append-only")


class Examination(models.Model):
    """A triage result imported from a sealed ``report.json`` + ``files.jsonl``: counts and a
    bounded summary only — never file content, paths or the per-file listing."""

    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="examinations")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    report_exhibit = models.CharField(max_length=20)
    report_examiner = models.CharField(max_length=200, blank=True)
    tool_name = models.CharField(max_length=100)
    tool_version = models.CharField(max_length=50)
    started_at = models.CharField(max_length=40, blank=True)
    finished_at = models.CharField(max_length=40, blank=True)
    category_a = models.PositiveIntegerField()
    category_b = models.PositiveIntegerField()
    category_c = models.PositiveIntegerField()
    uncategorised = models.PositiveIntegerField()
    known_good = models.PositiveIntegerField()
    unmatched_images = models.PositiveIntegerField()
    total_files = models.PositiveBigIntegerField()
    total_bytes = models.PositiveBigIntegerField()
    total_images = models.PositiveBigIntegerField()
    total_errors = models.PositiveBigIntegerField()
    report_sha256 = models.CharField(max_length=64)
    files_sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    # Perceptual matching (forensic-triage §2): null where the report has no ``pdq`` section.
    pdq_radius = models.PositiveSmallIntegerField(null=True, blank=True)
    pdq_matched = models.PositiveIntegerField(null=True, blank=True)
    pdq_low_quality = models.PositiveIntegerField(null=True, blank=True)
    # Matches whose reference entry carries VICS ``Series`` / ``VictimIdentified`` (§1.7),
    # counted from files.jsonl while it is streamed: no per-file rows are kept.
    series_matches = models.PositiveIntegerField(default=0)
    victim_identified_matches = models.PositiveIntegerField(default=0)
    # The report's ``new_material`` section: null/blank where the report has none.
    new_material_count = models.PositiveIntegerField(null=True, blank=True)
    new_material_files = models.PositiveIntegerField(null=True, blank=True)
    new_material_sha256 = models.CharField(max_length=64, blank=True)
    # Signed reports (issue 11.4, docs/triage-report-signing.md): the run's id and the key
    # that signed report.json. A run or a report is imported once (unique constraints below,
    # so concurrent imports cannot both succeed); blank on results imported before signing.
    run_id = models.CharField(max_length=64, blank=True)
    signer_fingerprint = models.CharField(max_length=64, blank=True)
    signing_key = models.ForeignKey(
        "TriageSigningKey",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="examinations",
    )
    # Ungraded material (issue 12.2): unmatched images and matched-but-uncategorised items are
    # counted as ungraded at import and leave that count only when an examiner grades them
    # (``examination_grading_import``) — A/B/C go to the category counts, "not indecent" to
    # ``graded_not_indecent``. Until then, or until an examiner certifies a reasoned sample
    # review, the eligibility policy cannot meet E3/E7.
    ungraded = models.PositiveIntegerField(default=0)
    graded_not_indecent = models.PositiveIntegerField(default=0)
    sample_review_size = models.PositiveIntegerField(null=True, blank=True)
    sample_review_reason = EncryptedTextField(blank=True)
    sample_review_certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sample_review_certified_at = models.DateTimeField(null=True, blank=True)
    # The examiner's structured findings: {"production", "distribution", "contact_offending":
    # bool, "notes", "recorded_by", "recorded_at"}; empty until recorded.
    findings = models.JSONField(default=dict, blank=True)
    # What the listing suggests (counts and client names only, never paths): the examiner
    # confirms or not in ``findings``.
    suggestions = models.JSONField(default=dict, blank=True)
    # Unmatched videos (issue 12.2): counted by type (magic bytes) or, where the listing has no
    # type, by the file name's extension; part of ``ungraded``. No frame is ever decoded.
    unmatched_videos = models.PositiveIntegerField(default=0)
    # The apparent age of the youngest person depicted, in years (issue 12.7; SOA 2003 Sch 3
    # para 13, 15 and para 95(a): under 16 decides notification). Null: not known. Recorded
    # by the examiner, or lowered by an age in a grading file (never raised: fail closed).
    youngest_depicted_age = models.PositiveSmallIntegerField(null=True, blank=True)
    youngest_depicted_age_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    youngest_depicted_age_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imported_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run_id"],
                condition=~models.Q(run_id=""),
                name="examination_run_imported_once",
            ),
            models.UniqueConstraint(
                fields=["report_sha256"],
                condition=~models.Q(signer_fingerprint=""),
                name="examination_signed_report_imported_once",
            ),
        ]

    @property
    def matched(self) -> int:
        return self.category_a + self.category_b + self.category_c + self.uncategorised

    @property
    def ungraded_total(self) -> int:
        return self.ungraded

    @property
    def sample_review_certified(self) -> bool:
        return self.sample_review_certified_at is not None


class UngradedItem(models.Model):
    """One ungraded file of an examination, by hash only (never a path or content): what a
    grading file may grade. Graded items keep their grade, who graded and when."""

    KINDS = [
        ("unmatched", "Unmatched image"),
        ("uncategorised", "Matched, uncategorised"),
        ("unmatched_video", "Unmatched video"),
    ]
    GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("not_indecent", "Not indecent")]

    examination = models.ForeignKey(
        Examination, on_delete=models.PROTECT, related_name="ungraded_items"
    )
    kind = models.CharField(max_length=16, choices=KINDS)
    md5 = models.CharField(max_length=32, blank=True)
    sha1 = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    grade = models.CharField(max_length=16, choices=GRADES, blank=True)
    #: The apparent age (years) the grading file gave the youngest person in this item.
    depicted_age = models.PositiveSmallIntegerField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    grading_file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["examination", "md5"], name="exhibits_ungraded_md5"),
            models.Index(fields=["examination", "sha1"], name="exhibits_ungraded_sha1"),
            models.Index(fields=["examination", "sha256"], name="exhibits_ungraded_sha256"),
        ]


class NewMaterialExport(models.Model):
    """The sealed ``new-material.vics.json`` of an examination (forensic-triage §1.7): hashes,
    sizes and paths inside the evidence of unmatched images — never image content. Kept for
    disclosure to the national database (CAID); each download is an audited disclosure."""

    examination = models.OneToOneField(
        Examination, on_delete=models.PROTECT, related_name="new_material_export"
    )
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"new-material export of examination {self.examination_id}"


class TriageJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class TriageReader(models.TextChoices):
    """How the engine reads a folder (ADR 0102, addendum 4); an image has one reader always."""

    AUTO = "auto", _("Decide from the disk (one reader in order if the disk spins)")
    SEQUENTIAL = "sequential", _("One reader, file after file (a spinning hard disk)")
    PARALLEL = "parallel", _("Parallel reads (an SSD, a network share or a copy in memory)")


class TriageJob(models.Model):
    """A triage run of an exhibit's image or folder, done by a background worker.

    The evidence path must lie under one of ``TRIAGE_EVIDENCE_ROOTS`` (what the worker can
    read); the run writes into its own folder under ``TRIAGE_OUTPUT_DIR`` so that a worker
    that crashes and is restarted resumes the same run (the engine's journal).
    """

    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="triage_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    source_path = models.CharField(max_length=1000)
    reader = models.CharField(
        max_length=16, choices=TriageReader.choices, default=TriageReader.AUTO
    )
    status = models.CharField(
        max_length=16, choices=TriageJobStatus.choices, default=TriageJobStatus.QUEUED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    examination = models.OneToOneField(
        Examination, on_delete=models.PROTECT, null=True, blank=True, related_name="job"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]


class TriageSigningKeyKind(models.TextChoices):
    WORKER = "worker", _("The application's triage worker")
    WORKSTATION = "workstation", _("An examiner's workstation")


class TriageSigningKey(models.Model):
    """A registered Ed25519 public key whose signed triage reports may be imported (issue
    11.4; docs/triage-report-signing.md). The private half stays on the workstation or the
    worker. Keys are never deleted: a revoked key's reports are refused from then on, and the
    examinations it signed keep pointing at it."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=TriageSigningKeyKind.choices)
    fingerprint = models.CharField(max_length=64, unique=True)
    public_key = models.CharField(max_length=100)
    #: The force whose exhibits its reports may be imported for; null only for the
    #: installation's own worker key (it runs jobs for every force).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.fingerprint[:16]})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
