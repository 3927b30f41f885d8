"""The statistics app's own records: follow-up events from PNC checks, equality-monitoring
answers, and the materialised figures the pages read (docs/statistics.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .domain.equality import DISABILITY, ETHNICITY, SEX
from .domain.followup import EVENT_KINDS


class FollowUpEvent(models.Model):
    """Something a force found on a follow-up check (issue 14.3): a re-arrest, a
    reconviction, another disposal, or a check with nothing new. Recorded by a person, with
    its source (e.g. "PNC check"), audited; append-only (corrections are new events)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=list(EVENT_KINDS.items()))
    date = models.DateField()
    source = models.CharField(max_length=100, default="PNC check")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "date"], name="stats_followup_case_date")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Follow-up events are append-only")
        super().save(*args, **kwargs)


class EqualityMonitoring(models.Model):
    """Equality-monitoring answers for one person (issue 14.5). Optional: blank means not
    recorded (never guessed). Held apart from the person record so that only the statistics
    read it.

    Ethnicity and disability are special-category data (UK GDPR Art. 9, DPA 2018 s.35(8)):
    encrypted at rest like every other special-category field (ARCHITECTURE.md §5)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(max_length=24, blank=True, choices=list(SEX.items()))
    ethnicity = EncryptedTextField(blank=True, choices=list(ETHNICITY.items()))
    disability = EncryptedTextField(blank=True, choices=list(DISABILITY.items()))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )


class FiguresSnapshot(models.Model):
    """The figures for one force as computed by the last refresh (issue 14.9): the pages
    read this row, never the case tables, and show ``computed_at`` as "figures as of"."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    computed_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    seconds = models.FloatField(default=0)
    cases = models.PositiveIntegerField(default=0)
    #: The latest audit event when the records were read: the refresh recomputes a force
    #: only if a write concerning it has been audited since (``sources.forces_changed_since``).
    audit_seq = models.PositiveBigIntegerField(default=0)
    #: When the refresh last found this snapshot still current (no change since).
    checked_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-computed_at"], name="stats_snapshot_latest")
        ]
