"""Bulk leads: batches (read-only, with provenance), leads (imported values never edited),
annotations, corroboration, proposals, KIRAT results as supplied, linkage and the leads team.
Thin: the rules are in ``domain/``, the writes in ``services``. docs/leads.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField
from comeforward.errors import DomainError

from .domain import workflow


class ImportedRecordImmutable(DomainError):
    code = "IMPORTED_RECORD_IMMUTABLE"


class _ReadOnlyOnceSaved(models.Model):
    """Created once, never updated or deleted through the ORM (check 8)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImportedRecordImmutable(f"{type(self).__name__} records are never edited")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImportedRecordImmutable(f"{type(self).__name__} records are never deleted")


class LeadsTeamMember(models.Model):
    """The compartment: who may see a force's bulk batches (check 12)."""

    MEMBER = "member"
    SUPERVISOR = "supervisor"
    KINDS = [(MEMBER, "Leads team member"), (SUPERVISOR, "Named supervisor")]
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=KINDS)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)


class LeadBatch(_ReadOnlyOnceSaved):
    KINDS = [("payment", "Payment records"), ("referral", "Industry referrals")]
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=KINDS)
    file_format = models.CharField(max_length=8)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    #: The file as received, encrypted at rest (it may hold full card numbers).
    content = EncryptedTextField()
    source = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=500)
    grading_source = models.CharField(max_length=1)
    grading_intelligence = models.CharField(max_length=1)
    grading_handling = models.CharField(max_length=1)
    row_count = models.IntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="leads_batch_once")
        ]

    @property
    def grading(self) -> str:
        return f"{self.grading_source}{self.grading_intelligence}{self.grading_handling}"


class Lead(models.Model):
    """One record of a batch. ``original`` and ``imported`` are never changed after import
    (annotations, corroborations and decisions are separate rows); only the workflow fields
    below them move, each move audited."""

    batch = models.ForeignKey(LeadBatch, on_delete=models.PROTECT, related_name="leads")
    line = models.IntegerField()
    original = models.JSONField()  # the row as supplied (full card number replaced by its hash)
    imported = models.JSONField()  # the derived values, as parsed at import
    indicators = models.JSONField(default=list)  # fraud indicators found at import
    full_name = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    card_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.CharField(max_length=64, blank=True)
    # workflow (audited moves; never the imported values)
    state = models.CharField(max_length=24, default=workflow.RECEIVED)
    fraud_path = models.BooleanField(default=False)
    access_to_children = models.BooleanField(null=True)
    access_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    urgency = models.CharField(max_length=16, default="HIGH")
    nfa_reason = models.CharField(max_length=32, blank=True)
    nfa_text = models.TextField(blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["batch_id", "line"]
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="leads_lead_line")]

    def __str__(self) -> str:
        return f"Lead {self.batch_id}/{self.line}"

    @property
    def reference(self) -> str:
        return f"L{self.batch_id}-{self.line}"


class LeadAnnotation(_ReadOnlyOnceSaved):
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)


class LeadCorroboration(_ReadOnlyOnceSaved):
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="corroborations")
    kind = models.CharField(max_length=32)
    source = models.CharField(max_length=200)
    reference = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)


class LeadActionProposal(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="proposals")
    action = models.CharField(max_length=16)
    rationale = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_at = models.DateTimeField(null=True)
    approval_note = models.TextField(blank=True)


class LeadKiratResult(_ReadOnlyOnceSaved):
    """A KIRAT result exactly as supplied (domain-rules §3.6: not re-implemented)."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="kirat_results")
    category = models.CharField(max_length=16)
    version = models.CharField(max_length=32)
    assessor = models.CharField(max_length=200)
    assessed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)


class LinkageRun(_ReadOnlyOnceSaved):
    batch = models.ForeignKey(LeadBatch, on_delete=models.PROTECT, related_name="linkage_runs")
    backend = models.CharField(max_length=16)
    parameters = models.JSONField()  # EM estimates (m/u per level), thresholds, notes
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    people_compared = models.IntegerField()
    pairs_scored = models.IntegerField()


class LeadLink(models.Model):
    """A proposed link: a lead to another lead of the batch (duplicate) or to a person held."""

    AUTO = "auto"
    REVIEW = "review"
    BANDS = [(AUTO, "Above the match threshold"), (REVIEW, "Uncertain: clerical review")]
    PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"
    DECISIONS = [(PENDING, "Awaiting review"), (CONFIRMED, "Confirmed"), (REJECTED, "Rejected")]
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="links")
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="links")
    other_lead = models.ForeignKey(Lead, on_delete=models.PROTECT, null=True, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, related_name="+"
    )
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    explanation = models.JSONField()  # the waterfall: [{"name", "level", "weight"}]
    band = models.CharField(max_length=8, choices=BANDS)
    decision = models.CharField(max_length=12, choices=DECISIONS, default=PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField(blank=True)
