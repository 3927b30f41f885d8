"""Register records: people subject to the SOA 2003 Part 2 notification requirements.

The period and deadlines come from the pure ``comeforward.law`` engines (domain-rules.md §1);
the record *stores* the next due dates (``initial_due`` until the initial notification is
made, ``next_periodic_due``, ``arms_due``, ``home_visit_due``) so that the daily sweep is an
indexed range query and a bulk insert, not a per-person calculation. They are recomputed by
``services`` whenever a notification, visit or assessment is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from comeforward.encryption.fields import EncryptedTextField

from .domain import DueKind, NotificationKind


class RegisterRecord(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="register_record"
    )
    owning_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="register_records"
    )
    # The facts law.evaluate takes (INTERFACES.md §1).
    offence = models.CharField(max_length=32)
    offence_date = models.DateField()
    offender_dob = models.DateField()
    youngest_depicted_age = models.PositiveSmallIntegerField(null=True)
    disposal_type = models.CharField(max_length=32)
    relevant_date = models.DateField()
    # What law.evaluate said (stored for the list and the sweep; recomputed on change).
    period_text = models.CharField(max_length=100)
    last_day = models.DateField(null=True)  # None: indefinite
    under_18_on_relevant_date = models.BooleanField(default=False)
    no_fixed_abode = models.BooleanField(default=False)
    # Next due dates (None: nothing due of that kind).
    initial_due = models.DateField(null=True)
    next_periodic_due = models.DateField(null=True)
    arms_due = models.DateField(null=True)
    home_visit_due = models.DateField(null=True)
    next_due = models.DateField(null=True)  # the earliest of the above (list order)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["active", "initial_due"], name="reg_initial_due"),
            models.Index(fields=["active", "next_periodic_due"], name="reg_periodic_due"),
            models.Index(fields=["active", "arms_due"], name="reg_arms_due"),
            models.Index(fields=["active", "home_visit_due"], name="reg_visit_due"),
            models.Index(fields=["owning_organisation", "active", "next_due"], name="reg_list"),
        ]

    def __str__(self) -> str:
        return f"Register record for {self.case_id}"


class RegisterNotification(models.Model):
    """One notification made in person at a police station (s.87)."""

    record = models.ForeignKey(
        RegisterRecord, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    date = models.DateField()
    matters = models.JSONField(default=list)  # law.Matter values, for changes
    changed_on = models.DateField(null=True)  # changes: the day the change happened
    departure = models.DateField(null=True)  # travel
    details = EncryptedTextField(blank=True)  # what was notified (addresses, accounts…)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]


class HomeVisit(models.Model):
    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    next_due = models.DateField(null=True)  # frequency set by the risk-management plan [M]
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)

    class Meta:
        ordering = ["-date", "-pk"]


class ArmsAssessment(models.Model):
    """An ARMS assessment (domain-rules §3.7): only its dates are held here."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="arms")
    assessed_on = models.DateField()
    next_due = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]


class Reminder(models.Model):
    """A reminder the daily sweep created: something falls due soon, or is overdue."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=DueKind.choices)
    due = models.DateField()
    overdue = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind", "due", "overdue"], name="one_reminder_per_due"
            )
        ]


class RegisterBreach(models.Model):
    """A missed notification deadline: a possible s.91 offence, for the case to consider."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="breaches")
    kind = models.CharField(max_length=16, choices=DueKind.choices)
    due = models.DateField()
    notes = models.TextField(blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "kind", "due"], name="one_breach_per_due")
        ]
