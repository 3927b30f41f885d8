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
from comeforward.roles import ROLE_ORGANISATION_TYPES, Role

from .models import Organisation, User, UserSession


class RoleNotAllowedForOrganisation(DomainError):
    code = "ROLE_NOT_ALLOWED_FOR_ORGANISATION"


class UserAlreadyExists(DomainError):
    code = "USER_ALREADY_EXISTS"


class UserNotInYourOrganisation(DomainError):
    """Administrators manage the accounts of their own organisation only (issue 11.7)."""

    code = "USER_NOT_IN_YOUR_ORGANISATION"


class NotOnYourOwnAccount(DomainError):
    """Nobody deactivates, re-roles or resets the second factor of their own account: another
    administrator must (issue 11.7; separation of duties)."""

    code = "NOT_ON_YOUR_OWN_ACCOUNT"


class ReasonRequired(DomainError):
    code = "REASON_REQUIRED"


class UserStateUnchanged(DomainError):
    code = "USER_STATE_UNCHANGED"


def _check_manages(actor, user: User | None = None, *, organisation=None, own=False) -> None:
    """``actor`` (an administrator; ``None`` is the operator at the command line) may manage
    ``user`` / create in ``organisation``: same organisation, and not themselves."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    target_org = organisation.pk if organisation is not None else user.organisation_id
    if not actor.has_role(Role.ADMINISTRATOR) or actor.organisation_id != target_org:
        raise UserNotInYourOrganisation(
            "You can only manage the accounts of your own organisation",
            details={"organisation": target_org},
        )
    if user is not None and not own and user.pk == actor.pk:
        raise NotOnYourOwnAccount(
            "You cannot do this to your own account: ask another administrator",
            details={"user": user.pk},
        )


def _end_sessions_and_factors(user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    ended = Session.objects.filter(session_key__in=keys).delete()[0]
    UserSession.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):  # TOTP and security keys
        device.delete()
    return ended


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
    """Create an individual account. The role must fit the organisation's type; an
    administrator creates accounts in their own organisation only."""
    _check_manages(actor, organisation=organisation)
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
    """Deactivate an account and end every session it holds, at once. Only an administrator
    of the same organisation, never on their own account (issue 11.7)."""
    _check_manages(actor, user)
    with transaction.atomic():
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
        ended = _end_sessions_and_factors(user)
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


def user_reactivate(*, actor, user: User, reason: str) -> User:
    """Let a deactivated account sign in again. Its second factor was removed when it was
    deactivated, so the person enrols a new one at their next sign-in (issue 20.7)."""
    _check_manages(actor, user)
    if not (reason or "").strip():
        raise ReasonRequired("Enter why this account is being reactivated")
    if user.is_active:
        raise UserStateUnchanged("This account is already active", details={"user": user.pk})
    with transaction.atomic():
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.is_active",
            justification=reason.strip(),
            details={"reactivated": True},
        )
    return user


def user_role_change(*, actor, user: User, role: str) -> User:
    """Give an account another role that its organisation may employ; the earlier role is
    kept in the audit record. Its open sessions end, so that the new role's access starts
    from a fresh sign-in (issue 20.7)."""
    _check_manages(actor, user)
    if role not in Role.values or user.organisation.kind not in ROLE_ORGANISATION_TYPES[role]:
        raise RoleNotAllowedForOrganisation(
            f"A {user.organisation.get_kind_display().lower()} cannot employ this role",
            details={"role": role, "organisation_kind": user.organisation.kind},
        )
    if role == user.role:
        raise UserStateUnchanged("The account already has this role", details={"role": role})
    with transaction.atomic():
        before = user.role
        user.role = role
        user.save(update_fields=["role"])
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        ended = Session.objects.filter(session_key__in=keys).delete()[0]
        UserSession.objects.filter(user=user).delete()
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.role",
            details={"before": before, "after": role, "sessions_ended": ended},
        )
    return user


def user_mfa_reset(*, actor, user: User, reason: str) -> User:
    """Remove every second factor of an account (a lost phone or key) and sign it out
    everywhere: at the next sign-in the person enrols a new one (issue 20.7)."""
    _check_manages(actor, user)
    if not (reason or "").strip():
        raise ReasonRequired("Enter why the second factor is being reset")
    with transaction.atomic():
        factors = len(list(devices_for_user(user, confirmed=None)))
        ended = _end_sessions_and_factors(user)
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.mfa",
            justification=reason.strip(),
            details={"reset": True, "factors_removed": factors, "sessions_ended": ended},
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
