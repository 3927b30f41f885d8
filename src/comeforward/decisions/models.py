"""Recommendations, decisions, cautions, outcome codes and prosecution referrals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .domain import (
    CAUTION_LABELS,
    CONDITION_KINDS,
    DECISION_LABELS,
    DECISION_REASONS,
    FAST_EXIT_REASONS,
    FAST_EXIT_TARGETS,
    OUTCOME_CODES,
    PROSECUTION_RESULT_LABELS,
    SIGNATURE_LABELS,
    DecisionStatus,
    ProsecutionResult,
)


class Recommendation(models.Model):
    """The policy evaluated against the case's facts, as it was at the time (docs/code-habits.md
    "Decisions leave a record"): version, rule codes that fired, rule texts, facts used."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="eligibility_recommendations"
    )
    policy_name = models.CharField(max_length=200)
    policy_version = models.CharField(max_length=50)
    outcome = models.CharField(max_length=32)
    fired = models.JSONField(default=list)
    unknown = models.JSONField(default=list)
    result = models.JSONField()
    facts = models.JSONField()
    fact_sources = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Decision(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT)
    outcome = models.CharField(
        max_length=16, choices=[(str(k), v) for k, v in DECISION_LABELS.items()]
    )
    reason_code = models.CharField(
        max_length=40, choices=[(str(k), v) for k, v in DECISION_REASONS.items()]
    )
    reason_text = EncryptedTextField()
    departs_from_recommendation = models.BooleanField()
    approval_required = models.BooleanField()
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in DecisionStatus])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    approval_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]


class Caution(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="caution")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT)
    kind = models.CharField(max_length=32, choices=[(str(k), v) for k, v in CAUTION_LABELS.items()])
    offences = models.JSONField()
    offence_date = models.DateField()
    youngest_depicted_age = models.PositiveSmallIntegerField(null=True)
    caution_date = models.DateField()
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Computed with comeforward.law.evaluate when the caution is recorded (SOA 2003 ss.80-83):
    notifiable = models.BooleanField(null=True)
    notification_period = models.CharField(max_length=100, blank=True)
    notification_last_day = models.DateField(null=True)
    initial_notification_due = models.DateField(null=True)
    law_result = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(default=timezone.now)
    # The five requirements of CJA 2003 s.23 (docs/disposals.md). (1) evidence:
    evidence_sufficient = models.BooleanField(default=False)
    # (2) the authorised decision-maker: the supervisor who made the decision final.
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # (3) the admission, from the interview record (not re-keyed).
    admission_interview = models.ForeignKey(
        "interviews.Interview", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # (4) the effect explained and the warning given.
    explanation_given = models.BooleanField(default=False)
    # (5) the signed document with the offence, admission, consent and conditions.
    consent_given = models.BooleanField(default=False)
    signature_method = models.CharField(
        max_length=16, choices=[(str(k), v) for k, v in SIGNATURE_LABELS.items()], blank=True
    )
    signature_reference = models.CharField(max_length=200, blank=True)
    signed_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True)


class CautionCondition(models.Model):
    caution = models.ForeignKey(Caution, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(
        max_length=32, choices=[(str(k), v) for k, v in CONDITION_KINDS.items()]
    )
    description = models.TextField()
    deadline = models.DateField(null=True)

    class Meta:
        ordering = ["pk"]


class CaseOutcome(models.Model):
    """The Home Office outcome code recorded on the case (domain-rules.md §2.1)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="outcome")
    code = models.CharField(max_length=4, choices=[(str(k), v) for k, v in OUTCOME_CODES.items()])
    note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)


class ProsecutionReferral(models.Model):
    """The file sent to the CPS, and its result when known."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="prosecution_referrals"
    )
    offences = models.JSONField()
    evidence_summary = EncryptedTextField()
    reasons = EncryptedTextField()
    sent_to_cps_on = models.DateField()
    result = models.CharField(
        max_length=32,
        choices=[(str(k), v) for k, v in PROSECUTION_RESULT_LABELS.items()],
        default=ProsecutionResult.PENDING.value,
    )
    result_date = models.DateField(null=True)
    result_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)


class SchemeExit(models.Model):
    """A supervisor took the case out of the scheme early (fast exit, docs/disposals.md):
    the structured reason, the words, and where the case went."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="scheme_exits")
    reason_code = models.CharField(
        max_length=40, choices=[(str(k), v) for k, v in FAST_EXIT_REASONS.items()]
    )
    reason_text = EncryptedTextField()
    target = models.CharField(
        max_length=32, choices=[(str(k), v) for k, v in FAST_EXIT_TARGETS.items()]
    )
    from_state = models.CharField(max_length=32)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]


class Correction(models.Model):
    """A supervisor's audited correction of a recorded caution or outcome code: the reason
    and the values before and after are kept (the record itself shows the corrected ones)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="corrections")
    subject = models.CharField(max_length=20)  # "caution" | "outcome_code"
    before = models.JSONField()
    after = models.JSONField()
    reason = EncryptedTextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-corrected_at", "-pk"]
