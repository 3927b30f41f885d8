"""Treatment referrals, sessions, progress notes and breach reviews (domain-rules §4.8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .domain import Attendance, BreachDecision, BreachSource, Outcome


class TreatmentReferral(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="treatment_referral"
    )
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    programme = models.CharField(max_length=200)
    expected_sessions = models.PositiveSmallIntegerField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    referred_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = EncryptedTextField(blank=True)
    outcome_at = models.DateTimeField(null=True)


class TreatmentSession(models.Model):
    referral = models.ForeignKey(
        TreatmentReferral, on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField()
    attendance = models.CharField(max_length=16, choices=Attendance.choices)
    missed_reason = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]


class ProgressNote(models.Model):
    """Clinical narrative: special-category data, encrypted; only the provider reads it."""

    referral = models.ForeignKey(TreatmentReferral, on_delete=models.PROTECT, related_name="notes")
    text = EncryptedTextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-pk"]


class BreachReview(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="breach_reviews")
    source = models.CharField(max_length=24, choices=BreachSource.choices)
    reason = EncryptedTextField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=16, choices=BreachDecision.choices, blank=True)
    decision_reason = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    # The caution condition whose deadline passed unmet (source CONDITION_DEADLINE): one
    # review per condition, so the daily sweep never opens a second one for it.
    condition = models.ForeignKey(
        "decisions.CautionCondition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(decision=""), name="one_open_breach_review"
            ),
            models.UniqueConstraint(
                fields=["condition"],
                condition=models.Q(condition__isnull=False),
                name="one_breach_review_per_condition",
            ),
        ]
