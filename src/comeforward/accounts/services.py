"""Writes about users: creation, MFA enrolment, deactivation (with sign-out everywhere)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError

from .models import Organisation, User, UserSession
from .roles import ROLE_ORGANISATION_TYPES


class RoleNotAllowedForOrganisation(DomainError):
    code = "ROLE_NOT_ALLOWED_FOR_ORGANISATION"


class UserAlreadyExists(DomainError):
    code = "USER_ALREADY_EXISTS"


def organisation_create(*, actor, name: str, code: str, kind: str) -> Organisation:
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, code=code, kind=kind)
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="organisation",
            subject_id=organisation.pk,
            scope="organisation",
            details={"name": name, "kind": kind},
        )
    return organisation


def user_create(
    *,
    actor,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    password: str | None,
) -> User:
    """Create an individual account. The role must fit the organisation's type."""
    if organisation.kind not in ROLE_ORGANISATION_TYPES[role]:
        raise RoleNotAllowedForOrganisation(
            f"A {organisation.get_kind_display().lower()} cannot employ the role {role}",
            details={"role": role, "organisation_kind": organisation.kind},
        )
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise UserAlreadyExists("An account with this email address exists")
        user = User.objects.create_user(
            email, password, full_name=full_name, organisation=organisation, role=role
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="user",
            subject_id=user.pk,
            scope="account",
            details={"role": role, "organisation": organisation.code},
        )
    return user


def user_deactivate(*, actor, user: User, reason: str) -> User:
    """Deactivate an account and end every session it holds, at once."""
    with transaction.atomic():
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        ended = Session.objects.filter(session_key__in=keys).delete()[0]
        UserSession.objects.filter(user=user).delete()
        for device in devices_for_user(user, confirmed=None):  # TOTP and security keys
            device.delete()
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.is_active",
            justification=reason,
            details={"sessions_ended": ended},
        )
    return user


def user_session_register(*, user: User, session_key: str) -> None:
    UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def user_session_rotate(*, user: User, old_key: str | None, new_key: str) -> None:
    """The session was given a new key (after the second factor): follow it, so that
    deactivation still ends it. Session bookkeeping, not personal data: no audit record."""
    with transaction.atomic():
        if old_key:
            UserSession.objects.filter(session_key=old_key).delete()
        UserSession.objects.get_or_create(session_key=new_key, defaults={"user": user})


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for enrolment (replaces any earlier unconfirmed one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=user,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.mfa",
            details={"device": "totp"},
        )
    return device
