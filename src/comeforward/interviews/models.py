"""The voluntary interview under caution (domain-rules §4.7 E2). Rules live in ``rules``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .rules import ADMISSION_LABELS, Admission


class Interview(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="interviews")
    held_on = models.DateField()
    officers_present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    admission = models.CharField(
        max_length=10, choices=[(a.value, ADMISSION_LABELS[a]) for a in Admission]
    )
    recorded = models.BooleanField()
    recording_reference = models.CharField(max_length=100, blank=True)
    offences_admitted = models.JSONField(default=list)
    legal_adviser_present = models.BooleanField()
    #: Special-category data (DPA 2018 s.35(8)): encrypted at rest, shown to police only.
    narrative = EncryptedTextField(blank=True)
    admission_recorded = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "pk"]
