"""Sign-in, second factor, sign-out and account administration. No business logic here."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from comeforward.audit.access import safe_next
from comeforward.web.permissions import role_required

from . import selectors, services
from .forms import DeactivateForm, SignInForm, TotpCodeForm
from .roles import Role

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
            otp_login(request, device)
            return redirect(request.session.pop("next", "/"))
        form.add_error("code", "The security code is not correct, or has expired")
    return render(request, "accounts/mfa.html", {"form": form, "title": "Enter your security code"})


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
            otp_login(request, device)
            messages.success(request, "Your authenticator app is set up")
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


@role_required(Role.ADMINISTRATOR)
def user_deactivate(request, user_id: int):
    target = selectors.users_visible_to(request.user).filter(pk=user_id).first()
    if target is None:
        raise Http404
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_deactivate(
            actor=request.user, user=target, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"{target.full_name}'s account is deactivated and signed out")
        return redirect("accounts:users")
    return render(
        request,
        "accounts/deactivate.html",
        {"form": form, "title": f"Deactivate {target.full_name}", "target": target},
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
