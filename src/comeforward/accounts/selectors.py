"""Reads about users and organisations."""

from __future__ import annotations

from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice

from comeforward.roles import Role

from .models import Organisation, Team, User


def users_visible_to(user):
    """Administrators see the accounts of their own organisation (issue 11.7); others only
    their own account."""
    if user.has_role(Role.ADMINISTRATOR):
        return User.objects.filter(organisation_id=user.organisation_id).select_related(
            "organisation", "team"
        )
    return User.objects.filter(pk=user.pk).select_related("organisation")


def user_get_for_admin(user, *, user_id: int) -> User | None:
    """An account the administrator ``user`` may manage (None otherwise)."""
    return users_visible_to(user).filter(pk=user_id).first()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).first()


def user_confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def user_pending_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def organisations_all():
    return Organisation.objects.all()


def organisations_of_kind(kind: str):
    return Organisation.objects.filter(kind=kind)


def users_of_organisation(organisation_id: int, *, roles):
    """Active accounts of one organisation holding one of ``roles`` (e.g. the police users a
    supervisor may allocate to a case team)."""
    return User.objects.filter(
        organisation_id=organisation_id, role__in=list(roles), is_active=True
    ).order_by("full_name")


def teams_of(organisation_id: int):
    """The teams of one organisation, by name, with how many accounts each has."""
    return (
        Team.objects.filter(organisation_id=organisation_id)
        .annotate(members_count=Count("members"))
        .order_by("name")
    )


def team_get(organisation_id: int, team_id: int) -> Team | None:
    return Team.objects.filter(organisation_id=organisation_id, pk=team_id).first()
