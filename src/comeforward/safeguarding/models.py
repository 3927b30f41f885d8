"""Safeguarding screens and referrals (domain-rules §5.2). Rules live in ``rules``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .rules import ACCESS_KINDS, AGE_BANDS, REFERRAL_LABELS, RELATIONSHIPS, ReferralKind


class SafeguardingScreen(models.Model):
    """One screen (S1). A later screen (e.g. again at caution) is a new row: never edited."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="safeguarding_screens"
    )
    children_in_household = models.BooleanField()
    works_with_children = models.BooleanField()
    immediate_risk = models.BooleanField()
    suicide_or_self_harm_risk = models.BooleanField()
    notes = EncryptedTextField(blank=True)
    referral_required = models.BooleanField()
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-screened_at", "-pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A safeguarding screen is never edited: record a new screen")
        super().save(*args, **kwargs)


class SafeguardingReferral(models.Model):
    """A referral made (S2, S3, S6, S11) and, once known, its outcome."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="safeguarding_referrals"
    )
    kind = models.CharField(
        max_length=32, choices=[(k.value, REFERRAL_LABELS[k]) for k in ReferralKind]
    )
    agency = models.CharField(max_length=200, blank=True)
    made_on = models.DateField()
    due_by = models.DateField(null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    outcome = EncryptedTextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["made_on", "pk"]

    @property
    def is_open(self) -> bool:
        return self.outcome_on is None

    @property
    def made_late(self) -> bool:
        return self.due_by is not None and self.made_on > self.due_by


class ChildAccess(models.Model):
    """A child the person has access to (domain-rules §5.2 S1, S12; issue 12.3): age band,
    relationship, kind of access and whether supervised. No names: need-to-know, and what the
    eligibility policy and the re-screen need. A change is a new row; the old one is ended
    (``ended_on``) or superseded (``supersedes``), never edited in place."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="children")
    age_band = models.CharField(max_length=16, choices=list(AGE_BANDS.items()))
    relationship = models.CharField(max_length=32, choices=list(RELATIONSHIPS.items()))
    access_kind = models.CharField(max_length=32, choices=list(ACCESS_KINDS.items()))
    supervised = models.BooleanField(null=True)  # None: not known
    notes = EncryptedTextField(blank=True)
    source = models.CharField(max_length=100, default="Safeguarding officer")
    ended_on = models.DateField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
