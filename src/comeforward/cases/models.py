"""Cases, their teams and partner access. The rules live in ``domain/`` and ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from comeforward.accounts.roles import Role

from .domain.states import STATE_LABELS, CaseState


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """Need-to-know (ARCHITECTURE.md §5): the case team, supervisors of the owning force,
        and members of partner organisations explicitly given access. Analysts and
        administrators see no case records."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.SUPERVISOR:
            return self.filter(owning_organisation_id=user.organisation_id)
        if user.role in (Role.ANALYST, Role.ADMINISTRATOR):
            return self.none()
        return self.filter(
            Q(team__user_id=user.pk)
            | Q(
                partner_grants__organisation_id=user.organisation_id,
                partner_grants__revoked_at__isnull=True,
                partner_grants__role=user.role,
            )
        ).distinct()


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    route = models.CharField(max_length=32, default="self_referral")
    state = models.CharField(
        max_length=32,
        choices=[(s.value, STATE_LABELS[s]) for s in CaseState],
        default=CaseState.REFERRED,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    owning_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="owned_cases"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["state", "state_changed_at"])]

    def __str__(self) -> str:
        return self.reference


class CaseTeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_membership")]


class PartnerGrant(models.Model):
    """Access for a partner organisation's users in one role (e.g. the assessment service)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_grants")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)


class CaseStatusChange(models.Model):
    """An immutable row per state change: who, when, from, to, why (CONVENTIONS.md)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Status history is append-only")
        super().save(*args, **kwargs)
