"""Enquiries and their messages. Thin: rules live in ``services``/``selectors``.

What is *not* here is the point (users-and-security §3.2 req. 3, 4, 6): no reference (only an
HMAC lookup key and a scrypt verifier), no IP address, user agent or header, no per-message
timestamps — only the date an enquiry was opened (for time-to-conversion statistics, req. 10)
and the date of its last activity, which is overwritten.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Combined with another enquiry")
    CONVERTED = "converted", _("Came forward (case opened)")


class Direction(models.TextChoices):
    FROM_ENQUIRER = "from_enquirer", _("From the enquirer")
    TO_ENQUIRER = "to_enquirer", _("Reply from the team")


class EnquiryTag(models.Model):
    name = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enquiry(models.Model):
    designation = models.CharField(max_length=16, unique=True)
    lookup_key = models.CharField(max_length=64, unique=True)
    reference_verifier = models.CharField(max_length=200)
    reply_kdf = models.CharField(max_length=100)
    reply_public_key = models.CharField(max_length=64)
    notice_version = models.CharField(max_length=20)
    status = models.CharField(max_length=16, choices=EnquiryStatus.choices, default="open")
    awaiting_reply = models.BooleanField(default=True)
    opened_on = models.DateField()
    last_activity_on = models.DateField()
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="merged"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The police force the enquiry was made to: only its responders read it (``force.py``).
    #: Empty only for enquiries made before forces were recorded in a deployment with more
    #: than one force: those are visible to nobody until a force is set (fail closed).
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    converted_on = models.DateField(null=True, blank=True)
    tags = models.ManyToManyField(EnquiryTag, blank=True, related_name="enquiries")

    class Meta:
        indexes = [models.Index(fields=["status", "last_activity_on"])]

    def __str__(self) -> str:
        return self.designation

    @property
    def reference(self) -> str:
        """What staff call it (the audit trail's ``subject_ref``): the designation."""
        return self.designation


class EnquiryMessage(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    #: Sealed box to ENQUIRY_PUBLIC_KEY: staff can read it, the public process cannot.
    sealed_for_staff = models.TextField()
    #: Replies only: sealed box to the enquiry's reply key (the reference holder).
    sealed_for_enquirer = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
