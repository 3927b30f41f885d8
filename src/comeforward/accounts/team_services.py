"""Writes about teams (issue 14.2, 20.7): an administrator adds teams to their own
organisation and moves a user of their organisation into a team (or out of every team).
Each change is one audit record. A team is management information (workload per team); it
grants no access (docs/need-to-know.md §Teams)."""

from __future__ import annotations

from django.db import transaction

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError

from .models import Team, User
from .services import UserStateUnchanged, _check_manages


class TeamNameInvalid(DomainError):
    code = "TEAM_NAME_INVALID"


class TeamNameTaken(DomainError):
    code = "TEAM_NAME_TAKEN"


class TeamNotInOrganisation(DomainError):
    """A user can only be put in a team of their own organisation."""

    code = "TEAM_NOT_IN_ORGANISATION"


def team_create(*, actor, organisation, name: str) -> Team:
    """Add a team to ``organisation`` (the administrator's own): a name of 1–100 characters,
    unique within the organisation (case-insensitively)."""
    _check_manages(actor, organisation=organisation)
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise TeamNameInvalid(
            "Enter the team's name (up to 100 characters)", details={"fields": {"name": "required"}}
        )
    if Team.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise TeamNameTaken(
            "Your organisation already has a team with this name",
            details={"fields": {"name": "taken"}},
        )
    with transaction.atomic():
        team = Team.objects.create(organisation=organisation, name=name)
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="team",
            subject_id=team.pk,
            scope="account.team",
            details={"organisation": organisation.pk, "name": name},
        )
    return team


def user_team_change(*, actor, user: User, team: Team | None) -> User:
    """Put ``user`` in ``team`` (None: in no team). Both must be of the administrator's own
    organisation; the earlier team is kept in the audit record. No access changes with it."""
    _check_manages(actor, user)
    if team is not None and team.organisation_id != user.organisation_id:
        raise TeamNotInOrganisation(
            "Choose a team of the user's own organisation",
            details={"fields": {"team": "other_organisation"}, "team": team.pk},
        )
    if (team.pk if team else None) == user.team_id:
        raise UserStateUnchanged(
            "The account is already in this team", details={"fields": {"team": "unchanged"}}
        )
    with transaction.atomic():
        before = user.team_id
        user.team = team
        user.save(update_fields=["team"])
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.team",
            details={"before": before, "after": team.pk if team else None},
        )
    return user
