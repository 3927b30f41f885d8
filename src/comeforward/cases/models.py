"""Cases, their teams and partner access. The rules live in ``domain/`` and ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from comeforward.roles import Role

from .domain.states import STATE_LABELS, CaseState


def visible_case_ids(user):
    """A subquery of the ids of the cases ``user`` may see (need-to-know, ARCHITECTURE.md §5):
    the case team, supervisors of the owning force, and members of partner organisations
    explicitly given access. Analysts and administrators see no case records.

    Written as one ``id IN (team ∪ grants)`` subquery so that the database starts from the
    user's few memberships (indexed) instead of joining every case and de-duplicating; other
    tables (tasks) can filter on it without touching ``cases_case`` (bench/case_pages.py)."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none().values("pk")
    if user.role == Role.SUPERVISOR:
        return Case.objects.filter(owning_organisation_id=user.organisation_id).values("pk")
    if user.role in (Role.ANALYST, Role.ADMINISTRATOR):
        return Case.objects.none().values("pk")
    team = CaseTeamMember.objects.filter(user_id=user.pk).values("case_id")
    grants = PartnerGrant.objects.filter(
        organisation_id=user.organisation_id, revoked_at__isnull=True, role=user.role
    ).values("case_id")
    return team.union(grants)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """The cases ``user`` may see (see ``visible_case_ids``)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.SUPERVISOR:
            return self.filter(owning_organisation_id=user.organisation_id)
        if user.role in (Role.ANALYST, Role.ADMINISTRATOR):
            return self.none()
        return self.filter(pk__in=visible_case_ids(user))


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
        indexes = [
            models.Index(fields=["state", "state_changed_at"]),
            models.Index(
                fields=["owning_organisation", "state", "state_changed_at"],
                name="cases_case_org_state",
            ),
            models.Index(fields=["created_at"], name="cases_case_created"),
            models.Index(
                fields=["owning_organisation", "state_changed_at"], name="cases_case_org_changed"
            ),
        ]

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
    """An immutable row per state change: who, when, from, to, why (docs/code-habits.md)."""

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


class CaseTask(models.Model):
    """A piece of work on a case with a due date (an SLA clock), opened by a workflow event
    (``cases.sla``) and done when the case moves on or someone marks it done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    assigned_role = models.CharField(max_length=32, choices=Role.choices)
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "pk"]
        indexes = [
            models.Index(
                fields=["assigned_role", "due"],
                name="cases_task_open_by_role",
                condition=Q(done_at__isnull=True),
            ),
            models.Index(fields=["case", "done_at"], name="cases_task_by_case"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.case_id}) due {self.due}"


class CaseReferenceCounter(models.Model):
    """The last case number given in a year (``CF-YYYY-NNNNNN``; issue 19.4): a row locked
    (``SELECT … FOR UPDATE``) while the next number is taken, so that concurrent intakes on
    PostgreSQL never compute the same reference. Created on the year's first case from the
    highest reference already in the table."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField()
