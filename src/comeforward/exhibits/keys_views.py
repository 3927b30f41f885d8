"""Pages for triage signing keys (issue 11.4; docs/triage-report-signing.md). No logic."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.ui.forms import submit
from comeforward.ui.permissions import role_required

from . import selectors
from .forms import TriageSigningKeyForm, TriageSigningKeyRevokeForm
from .signing_keys import (
    KEY_MANAGERS,
    KEY_VIEWERS,
    triage_signing_key_register,
    triage_signing_key_revoke,
)


@role_required(*KEY_VIEWERS)
def key_list(request):
    return render(
        request,
        "exhibits/keys.html",
        {
            "title": "Triage signing keys",
            "keys": selectors.triage_signing_keys_for_user(request.user),
            "can_manage": request.user.has_role(*KEY_MANAGERS),
        },
    )


@role_required(*KEY_MANAGERS)
def key_new(request):
    form = TriageSigningKeyForm(
        request.POST if request.method == "POST" else None,
        examiners=selectors.forensic_examiners_of(request.user),
    )
    registered = {}

    def register(data):
        registered["key"] = triage_signing_key_register(actor=request.user, **data)

    done = submit(
        request,
        form,
        register,
        success=_(
            "Key registered. Check that its fingerprint matches the one the workstation printed"
        ),
        then=reverse("triage-keys:list"),
    )
    return done or render(
        request, "exhibits/key_new.html", {"title": "Register a workstation key", "form": form}
    )


@role_required(*KEY_MANAGERS)
def key_revoke(request, key_id: int):
    key = selectors.triage_signing_key_get_for_user(request.user, key_id=key_id)
    form = TriageSigningKeyRevokeForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        form,
        lambda data: triage_signing_key_revoke(actor=request.user, key=key, **data),
        success=_("Key %(name)s revoked: its reports will be refused from now on")
        % {"name": key.name},
        then=reverse("triage-keys:list"),
    )
    return done or render(
        request,
        "exhibits/key_revoke.html",
        {"title": f"Revoke the key {key.name}", "key": key, "form": form},
    )
