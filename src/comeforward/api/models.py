"""Integration clients and stored idempotent responses. Thin: rules live in services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiClient(models.Model):
    """A system (a force's records system, a forensic lab…) allowed to call the API.

    The token is shown once and stored only as its SHA-256 (a 256-bit random secret needs no
    slow hash); ``token_prefix`` is the public part that finds the row. The client acts as
    ``principal``: a user account of ``organisation`` in ``role`` that cannot sign in to the
    web service (no usable password, no second factor), so every selector's need-to-know
    scoping applies to it exactly as to a person in that role.
    """

    name = models.CharField(max_length=100)
    purpose = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_clients"
    )
    principal = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    scopes = models.JSONField(default=list)
    ip_allowlist = models.JSONField(default=list, blank=True)  # CIDR strings; empty: any
    token_prefix = models.CharField(max_length=16, unique=True)
    token_sha256 = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix})"


class IdempotentResponse(models.Model):
    """The response to a create made with an ``Idempotency-Key``, replayed on a retry."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=100)
    request_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_once")
        ]


class ApiRateCounter(models.Model):
    """Each client's call count in the current fixed window of the rate limit (issue 18.3).

    One row per client, bumped by a single atomic statement (``security.count_call``), so that
    every web process counts the same client together without reading or locking a table.
    """

    client = models.OneToOneField(
        ApiClient, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    slot = models.BigIntegerField()  # the window's number: unix time // window length
    count = models.PositiveIntegerField()
