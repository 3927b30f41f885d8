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
from comeforward.law import offence_label

from .domain import (
    ArmsLevel,
    BreachKind,
    BreachOutcome,
    DisregardReason,
    DueKind,
    MappaCategory,
    MappaLevel,
    NotificationKind,
    ParticularKind,
    ReviewStatus,
    VisitOutcome,
)


class RegisterRecord(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="register_record"
    )
    owning_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="register_records"
    )
    # The facts law.evaluate takes (docs/interfaces.md §3).
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
    event_due = models.DateField(null=True)  # earliest open change/travel/return deadline
    review_due = models.DateField(null=True)  # indefinite: s.91B qualifying date
    next_due = models.DateField(null=True)  # the earliest of the above (list order)
    #: law.deadlines: notices overdue now, and notices made late (queue "late and missing").
    overdue_count = models.PositiveSmallIntegerField(default=0)
    late_count = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    #: The day the requirements ended (fixed period: the last day; s.91C discharge).
    ended_on = models.DateField(null=True)
    #: The force the record was transferred to (its receipt confirmed): closed here.
    transferred_to = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Offender management (13.6, 13.8): who manages, where, and the risk picture.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_register_records",
    )
    area = models.CharField(max_length=100, blank=True)
    arms_level = models.CharField(max_length=16, choices=ArmsLevel.choices, blank=True)
    mappa_category = models.CharField(max_length=1, choices=MappaCategory.choices, blank=True)
    mappa_level = models.CharField(max_length=1, choices=MappaLevel.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["active", "event_due"], name="reg_event_due"),
            models.Index(fields=["active", "last_day"], name="reg_last_day"),
            models.Index(fields=["active", "review_due"], name="reg_review_due"),
            models.Index(
                fields=["owning_organisation", "active", "overdue_count"], name="reg_issues"
            ),
            models.Index(fields=["active", "initial_due"], name="reg_initial_due"),
            models.Index(fields=["active", "next_periodic_due"], name="reg_periodic_due"),
            models.Index(fields=["active", "arms_due"], name="reg_arms_due"),
            models.Index(fields=["active", "home_visit_due"], name="reg_visit_due"),
            models.Index(fields=["owning_organisation", "active", "next_due"], name="reg_list"),
        ]

    def __str__(self) -> str:
        return f"Register record for {self.case_id}"

    @property
    def offence_label(self) -> str:
        """The offence as words (``comeforward.law.offence_label``), never the bare code."""
        return offence_label(self.offence)


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
    expected_on = models.DateField(null=True)  # s.84(2): change notified in advance for this day
    police_station = models.CharField(max_length=200, blank=True)  # where (s.87)
    received_by_name = models.CharField(max_length=200, blank=True)  # who received it
    trip = models.ForeignKey(
        "Trip", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]


class Particular(models.Model):
    """One notified particular (s.83(5), Regs 2012). Never overwritten: a change ends the old
    row (``ended_on``, ``ended_by``) and adds a new one, so the history is kept."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="particulars")
    kind = models.CharField(max_length=32, choices=ParticularKind.choices)
    #: The full value (address, number, name): encrypted at rest.
    value = EncryptedTextField()
    #: What lists show: the masked number for accounts, cards and documents; else blank.
    masked = models.CharField(max_length=64, blank=True)
    #: Institution, issuing country, name as shown, child's household description…
    detail = EncryptedTextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)  # e.g. first day staying with a child
    valid_to = models.DateField(null=True, blank=True)  # e.g. last day; document expiry
    notification = models.ForeignKey(
        RegisterNotification, on_delete=models.PROTECT, null=True, related_name="particulars"
    )
    ended_on = models.DateField(null=True)
    ended_by = models.ForeignKey(
        RegisterNotification, on_delete=models.PROTECT, null=True, related_name="ended_particulars"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-valid_from", "pk"]
        indexes = [models.Index(fields=["record", "kind", "ended_on"], name="reg_particular_cur")]


class DisregardedPeriod(models.Model):
    """Custody, hospital detention or time outside the UK (s.83(6), s.84(5), s.85(3))."""

    record = models.ForeignKey(
        RegisterRecord, on_delete=models.PROTECT, related_name="disregarded_periods"
    )
    reason = models.CharField(max_length=16, choices=DisregardReason.choices)
    began_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["began_on", "pk"]


class Trip(models.Model):
    """A trip outside the UK (s.86; Travel Regs 2004 as amended by Regs 2012, §1.7)."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="trips")
    departure = models.DateField()
    departure_time = models.TimeField(null=True, blank=True)
    planned_return = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    destinations = models.CharField(max_length=300)  # countries, in order
    departure_point = models.CharField(max_length=200, blank=True)  # UK point of departure
    arrival_point = models.CharField(max_length=200, blank=True)  # first point of arrival
    return_point = models.CharField(max_length=200, blank=True)  # UK point of arrival back
    carrier = models.CharField(max_length=200, blank=True)  # carriers out and back
    accommodation = EncryptedTextField(blank=True)  # first night's accommodation
    known_on = models.DateField()  # the day the person knew the details (12-hour rule)
    return_details_given = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-departure", "-pk"]
        indexes = [models.Index(fields=["departure", "returned_on"], name="reg_trip_dates")]


class HomeVisit(models.Model):
    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    announced = models.BooleanField(default=True)
    outcome = models.CharField(max_length=16, choices=VisitOutcome.choices, blank=True)
    next_due = models.DateField(null=True)  # frequency set by the risk-management plan [M]
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)

    class Meta:
        ordering = ["-date", "-pk"]


class ArmsAssessment(models.Model):
    """An ARMS assessment (domain-rules §3.7): only its dates are held here."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="arms")
    assessed_on = models.DateField()
    level = models.CharField(max_length=16, choices=ArmsLevel.choices, blank=True)
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
        indexes = [
            # The open-reminders list (overdue first, then by due date): a partial index
            # read in order, so the page stops after its first rows (bench/register_queues).
            models.Index(
                fields=["-overdue", "due", "id"],
                name="reg_open_reminders",
                condition=models.Q(resolved_at__isnull=True),
            )
        ]


class RegisterBreach(models.Model):
    """A late or missing notification under review: a possible s.91 offence (§1.11), with its
    evidence and outcome."""

    record = models.ForeignKey(RegisterRecord, on_delete=models.PROTECT, related_name="breaches")
    kind = models.CharField(max_length=16, choices=BreachKind.choices)
    due = models.DateField()
    #: Which duty: the law event index and subject (e.g. "travel 2026-08-20"); blank for
    #: initial and periodic.
    event_ref = models.CharField(max_length=100, blank=True, default="")
    notified_late_on = models.DateField(null=True)  # None: not notified (missing)
    notes = models.TextField(blank=True)
    evidence = EncryptedTextField(blank=True)
    outcome = models.CharField(max_length=32, choices=BreachOutcome.choices, blank=True, default="")
    outcome_notes = EncryptedTextField(blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind", "due", "event_ref"], name="one_breach_per_duty"
            )
        ]


class ReviewTask(models.Model):
    """The s.91A-91F review of indefinite requirements (domain-rules §1.10), a task with its
    own workflow: not yet eligible → eligible → application received → determined
    (discharged or continued) → appealed."""

    record = models.OneToOneField(
        RegisterRecord, on_delete=models.PROTECT, related_name="review_task"
    )
    eligible_from = models.DateField()
    status = models.CharField(max_length=16, choices=ReviewStatus.choices)
    applied_on = models.DateField(null=True)
    determine_by = models.DateField(null=True)  # 12 weeks after the application [S Dorset]
    determined_on = models.DateField(null=True)
    further_review_from = models.DateField(null=True)  # s.91B(3)
    notes = EncryptedTextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    updated_at = models.DateTimeField(default=timezone.now)


class RegisterTransfer(models.Model):
    """A transfer of the whole record between forces (13.7; ``register/transfer.py``).

    Outbound: ``sent`` when the signed export is made (the record stays with this force),
    ``accepted`` when the receiving force's signed receipt is confirmed (the record then
    closes here). Inbound: ``pending`` after a verified import, ``accepted`` when this force
    accepts it (a record is created and owned here) or ``refused``.
    """

    direction = models.CharField(max_length=8, choices=[("out", "Out"), ("in", "In")])
    record = models.ForeignKey(
        RegisterRecord, on_delete=models.PROTECT, null=True, related_name="transfers"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="register_transfers"
    )
    from_force = models.CharField(max_length=100)
    to_force = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16,
        choices=[
            ("sent", "Sent"),
            ("pending", "Awaiting acceptance"),
            ("accepted", "Accepted"),
            ("refused", "Refused"),
        ],
    )
    payload_sha256 = models.CharField(max_length=64)
    envelope = EncryptedTextField(blank=True)  # inbound: the signed file, until accepted
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    #: Why an inbound transfer was refused (shown to this force; told to the sender by its
    #: own channel).
    reason = EncryptedTextField(blank=True)
    #: Inbound, accepted: the signed receipt for the sending force (hash, codes, time only).
    receipt = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "organisation", "payload_sha256"], name="one_transfer_per_file"
            )
        ]
