"""Conflict declarations, assessments and narrative-access grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .domain import RECOMMENDATIONS, RISK_LEVELS, TREATMENT_PATHWAYS


class ConflictDeclaration(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "-pk"]


class Assessment(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    declaration = models.ForeignKey(ConflictDeclaration, on_delete=models.PROTECT)
    instrument_items = models.JSONField(default=dict)  # {instrument: {item: value}}
    instrument_results = models.JSONField(default=dict)  # {instrument: risk Result.as_dict()}
    risk_level = models.CharField(max_length=16, choices=list(RISK_LEVELS.items()))
    judgement = EncryptedTextField()  # structured professional judgement: summary of formulation
    recommendation = models.CharField(max_length=16, choices=list(RECOMMENDATIONS.items()))
    treatment_pathway = models.CharField(max_length=32, choices=list(TREATMENT_PATHWAYS.items()))
    clinical_narrative = EncryptedTextField()
    completed_at = models.DateTimeField(default=timezone.now)


class NarrativeAccess(models.Model):
    """The assessor's grant letting the case's police users read the clinical narrative."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True)
