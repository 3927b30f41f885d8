"""Sign-in, second factor, sign-out and account administration. No business logic here."""

from __future__ import annotations

import base64
import io
import json
import secrets

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from comeforward.audit.access import safe_next
from comeforward.errors import InvalidJson
from comeforward.roles import PRIVILEGED_ROLES, Role
from comeforward.ui.forms import attempt, form_page, reason_page, refusals_as_json
from comeforward.ui.permissions import role_required

from . import selectors, services, webauthn_selectors, webauthn_services, webauthn_session
from .forms import (
    DeactivateForm,
    ReasonForm,
    RoleChangeForm,
    SignInForm,
    TotpCodeForm,
    UserAddForm,
)
from .webauthn_forms import SecurityKeyNameForm

ENDED_MESSAGES = {
    "inactive": "You were signed out because you had not used the service for a while.",
    "expired": "You were signed out because your session reached its maximum length.",
}


def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            email=form.cleaned_data["email"].lower(),
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, "Enter a correct email address and password")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.user_session_register(user=user, session_key=request.session.session_key)
            request.session["next"] = safe_next(request, request.GET.get("next"), "/")
            return redirect("accounts:mfa")
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "title": "Sign in", "ended": ENDED_MESSAGES.get(request.GET.get("ended"))},
    )


def locked_out(request, credentials=None, *args, **kwargs):
    return render(
        request,
        "accounts/locked_out.html",
        {"title": "Your account is locked for 30 minutes"},
        status=429,
    )


def _second_factor_passed(request, device) -> None:
    """Mark the session verified and give it a new key (session fixation, ASVS 7.2.4): the
    key issued after the password alone stops working once the second factor completes."""
    otp_login(request, device)
    old_key = request.session.session_key
    request.session.cycle_key()
    services.user_session_rotate(
        user=request.user, old_key=old_key, new_key=request.session.session_key
    )


def mfa(request):
    """Ask for the TOTP code, or start enrolment when the user has no device yet."""
    if request.is_mfa_verified:
        return redirect("frontend:home")
    device = selectors.user_confirmed_totp(request.user)
    if device is None:
        return redirect("accounts:mfa-setup")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            _second_factor_passed(request, device)
            return redirect(request.session.pop("next", "/"))
        form.add_error("code", "The security code is not correct, or has expired")
    return render(
        request,
        "accounts/mfa.html",
        {
            "form": form,
            "title": "Enter your security code",
            "has_security_key": webauthn_selectors.user_has_webauthn(request.user),
        },
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def mfa_setup(request):
    """Enrol an authenticator app: scan the code (or type the key), then confirm a code."""
    if selectors.user_confirmed_totp(request.user) is not None:
        return redirect("accounts:mfa")
    device = selectors.user_pending_totp(request.user) or services.totp_device_start(
        user=request.user
    )
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.totp_device_confirm(user=request.user, device=device)
            _second_factor_passed(request, device)
            messages.success(request, _("Your authenticator app is set up"))
            return redirect(request.session.pop("next", "/"))
        form.add_error("code", "The security code is not correct, or has expired")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "title": "Set up your authenticator app",
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": _qr_svg(device.config_url),
        },
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:sign-in")


@role_required(Role.ADMINISTRATOR)
def users(request):
    return render(
        request,
        "accounts/users.html",
        {"title": "Users", "users": selectors.users_visible_to(request.user)},
    )


def _managed_user(request, user_id: int):
    """An account of the administrator's own organisation, not their own (404 otherwise:
    nobody deactivates, re-roles or resets themselves; the services refuse it too)."""
    target = selectors.user_get_for_admin(request.user, user_id=user_id)
    if target is None or target.pk == request.user.pk:
        raise Http404
    return target


@role_required(Role.ADMINISTRATOR)
def user_deactivate(request, user_id: int):
    target = _managed_user(request, user_id)
    return reason_page(
        request,
        DeactivateForm(request.POST or None),
        lambda reason: services.user_deactivate(actor=request.user, user=target, reason=reason),
        success=_("%(full_name)s's account is deactivated and signed out")
        % {"full_name": target.full_name},
        then=reverse("accounts:users"),
        template="accounts/deactivate.html",
        context={"title": f"Deactivate {target.full_name}", "target": target},
    )


@role_required(Role.ADMINISTRATOR)
def user_add(request):
    """Add an account in the administrator's own organisation. A one-time password is shown
    once, to hand over securely; the person sets up their second factor at first sign-in."""
    organisation = request.user.organisation
    form = UserAddForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    password = secrets.token_urlsafe(12)
    added = attempt(
        request,
        form,
        lambda data: services.user_create(
            actor=request.user,
            email=data["email"],
            full_name=data["full_name"],
            organisation=organisation,
            role=data["role"],
            password=password,
        ),
        field=lambda refusal: "email" if refusal.code == "USER_ALREADY_EXISTS" else None,
    )
    if added:
        return render(
            request,
            "accounts/user_added.html",
            {"title": "Account added", "created": added.result, "password": password},
        )
    return render(
        request,
        "accounts/user_form.html",
        {"title": f"Add an account to {organisation.name}", "form": form, "button": "Add account"},
    )


@role_required(Role.ADMINISTRATOR)
def user_detail(request, user_id: int):
    """One account: change its role; links to reset its second factor, deactivate or
    reactivate it."""
    target = _managed_user(request, user_id)
    form = RoleChangeForm(
        request.POST if request.method == "POST" else None,
        organisation=target.organisation,
        initial={"role": target.role},
    )
    return form_page(
        request,
        form,
        lambda data: services.user_role_change(actor=request.user, user=target, role=data["role"]),
        # the role as changed (the service saved it on ``target``)
        success=lambda _changed: (
            _("%(full_name)s is now %(role)s")
            % {"full_name": target.full_name, "role": target.get_role_display()}
        ),
        then=reverse("accounts:users"),
        field="role",
        template="accounts/user_detail.html",
        context={"title": target.full_name, "target": target, "button": "Change role"},
    )


def _reason_action(request, user_id: int, *, service, label, required, title, done, button):
    target = _managed_user(request, user_id)
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label=label,
        required_message=required,
    )
    return reason_page(
        request,
        form,
        lambda reason: service(actor=request.user, user=target, reason=reason),
        success=done.format(name=target.full_name),
        then=reverse("accounts:users"),
        template="accounts/user_reason.html",
        context={"title": title.format(name=target.full_name), "target": target, "button": button},
    )


@role_required(Role.ADMINISTRATOR)
def user_mfa_reset(request, user_id: int):
    return _reason_action(
        request,
        user_id,
        service=services.user_mfa_reset,
        label="Why is the second factor being reset?",
        required="Enter why the second factor is being reset",
        title="Reset {name}'s second factor",
        done="{name}'s second factor is removed: they set up a new one when they next sign in",
        button="Reset second factor",
    )


@role_required(Role.ADMINISTRATOR)
def user_reactivate(request, user_id: int):
    return _reason_action(
        request,
        user_id,
        service=services.user_reactivate,
        label="Why is this account being reactivated?",
        required="Enter why this account is being reactivated",
        title="Reactivate {name}",
        done="{name}'s account is active again: they set up a second factor when they sign in",
        button="Reactivate account",
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


# --- WebAuthn security keys (accounts/webauthn_services.py; docs/adr/0007-webauthn.md) ------


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InvalidJson("The request body is not JSON")
    if not isinstance(body, dict):
        raise InvalidJson("The request body must be a JSON object")
    return body


@role_required(*PRIVILEGED_ROLES)
def security_keys(request):
    """List the user's keys and offer to add one (the ceremony itself runs in webauthn.js)."""
    form = SecurityKeyNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only reached without JavaScript: browsers offer WebAuthn to scripts alone.
        form.add_error(None, "Turn on JavaScript in your browser to add a security key")
    return render(
        request,
        "accounts/security_keys.html",
        {
            "form": form,
            "title": "Security keys",
            "devices": webauthn_selectors.user_webauthn_devices(request.user),
        },
    )


@require_POST
@role_required(*PRIVILEGED_ROLES)
def security_key_register_options(request):
    challenge = webauthn_session.challenge_issue(request.session, webauthn_session.REGISTER)
    options = webauthn_services.webauthn_registration_options(
        user=request.user,
        rp=webauthn_session.relying_party_for(request),
        challenge=challenge,
    )
    return JsonResponse({"publicKey": options})


@require_POST
@role_required(*PRIVILEGED_ROLES)
@refusals_as_json
def security_key_register_verify(request):
    challenge = webauthn_session.challenge_take(request.session, webauthn_session.REGISTER)
    body = _json_body(request)
    device = webauthn_services.webauthn_device_register(
        actor=request.user,
        rp=webauthn_session.relying_party_for(request),
        challenge=challenge,
        credential=body.get("credential"),
        name=body.get("name", ""),
    )
    messages.success(request, _("Your security key ‘%(name)s’ is added") % {"name": device.name})
    return JsonResponse({"redirect": reverse("accounts:security-keys")})


@require_POST
@role_required(*PRIVILEGED_ROLES)
def security_key_remove(request, device_id: int):
    device = webauthn_selectors.user_webauthn_device(request.user, device_id=device_id)
    if device is None:
        raise Http404
    signed_in_with_it = request.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id
    webauthn_services.webauthn_device_remove(actor=request.user, device=device)
    if signed_in_with_it:
        # The factor that verified this session is gone: django-otp no longer counts the
        # session as verified, so the middleware asks for the code, then comes back here.
        request.session["next"] = reverse("accounts:security-keys")
        messages.success(
            request,
            _(
                "Your security key ‘%(name)s’ is removed. You signed in with it, so enter "
                "the code from your authenticator app to carry on"
            )
            % {"name": device.name},
        )
    else:
        messages.success(
            request, _("Your security key ‘%(name)s’ is removed") % {"name": device.name}
        )
    return redirect("accounts:security-keys")


@require_POST
@refusals_as_json
def mfa_security_key_options(request):
    """The MFA step's alternative to the code: options for ``navigator.credentials.get``."""
    challenge = webauthn_session.challenge_issue(request.session, webauthn_session.AUTHENTICATE)
    options = webauthn_services.webauthn_authentication_options(
        user=request.user,
        rp=webauthn_session.relying_party_for(request),
        challenge=challenge,
    )
    return JsonResponse({"publicKey": options})


@require_POST
@refusals_as_json
def mfa_security_key_verify(request):
    challenge = webauthn_session.challenge_take(request.session, webauthn_session.AUTHENTICATE)
    body = _json_body(request)
    device = webauthn_services.webauthn_device_authenticate(
        user=request.user,
        rp=webauthn_session.relying_party_for(request),
        challenge=challenge,
        credential=body.get("credential"),
    )
    _second_factor_passed(request, device)
    return JsonResponse({"redirect": request.session.pop("next", "/")})
