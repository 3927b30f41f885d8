"""Append-only audit records. UPDATE and DELETE are refused by database triggers."""

from __future__ import annotations

from django.db import models

from .operations import JUSTIFIED_OPERATIONS, Operation, Outcome  # noqa: F401 (re-exported)


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.CharField(max_length=32)  # ISO 8601 UTC with Z, exactly as hashed
    operation = models.CharField(max_length=16, choices=Operation.choices)
    actor_id = models.BigIntegerField(null=True)
    actor_email = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    actor_organisation = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_ref = models.CharField(max_length=64, blank=True)
    scope = models.CharField(max_length=200)
    justification = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["actor_id", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.operation} {self.subject_type}:{self.subject_id}"
