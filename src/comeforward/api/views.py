"""Web pages of the api app: the API reference (rendered from the OpenAPI schema, no
JavaScript, works under the CSP), administrators' integration clients, and exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from comeforward.errors import DomainError
from comeforward.roles import Role
from comeforward.ui.permissions import role_required

from . import exports, problems, selectors, services
from .forms import ApiClientForm, ExportForm, RevokeForm
from .reference import reference_context


def not_found(request):
    return problems.problem(
        request, code="NOT_FOUND", detail="No such API operation; see /api/v1/openapi.json"
    )


def reference(request):
    """The API reference for integrators (public, like the schema: it holds no data)."""
    return render(request, "api/reference.html", reference_context(request))


@role_required(Role.ADMINISTRATOR)
def clients(request):
    return render(
        request,
        "api/clients.html",
        {"title": "API clients", "clients": selectors.api_clients_visible_to(request.user)},
    )


@never_cache
@role_required(Role.ADMINISTRATOR)
def client_new(request):
    """Register a client of the administrator's organisation; its token is shown once."""
    organisation = request.user.organisation
    form = ApiClientForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            client, token = services.api_client_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                organisation=organisation,
                role=form.cleaned_data["role"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                ip_allowlist=form.allowlist(),
            )
        except DomainError as refusal:
            fields = refusal.details.get("fields") or {}
            for name, message in fields.items():
                form.add_error(name if name in form.fields else None, message)
            if not fields:
                field = "ip_allowlist" if "ip_allowlist" in refusal.details else None
                form.add_error(field, refusal.message)
        else:
            return render(
                request,
                "api/client_added.html",
                {"title": "API client registered", "client": client, "token": token},
            )
    return render(
        request,
        "api/client_form.html",
        {"title": f"Register an API client for {organisation.name}", "form": form},
    )


@role_required(Role.ADMINISTRATOR)
def client_revoke(request, client_id: int):
    client = selectors.api_client_get_for_admin(request.user, client_id=client_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.api_client_revoke(
                actor=request.user, client=client, reason=form.cleaned_data["reason"]
            )
        except DomainError as refusal:
            form.add_error("reason", refusal.message)
        else:
            messages.success(request, f"{client.name} is revoked: its token no longer works")
            return redirect("api-clients:list")
    return render(
        request,
        "api/client_revoke.html",
        {"title": f"Revoke {client.name}", "form": form, "client": client},
    )


@never_cache
@role_required(*{role for kind in exports.KINDS.values() for role in kind.roles})
def export(request):
    """Download a case list, task queue, register list or audit extract (CSV or ODS), audited
    with its purpose and watermarked with who made it."""
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            made = exports.export_make(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["format"],
                purpose=form.cleaned_data["purpose"],
            )
        except DomainError as refusal:
            form.add_error("purpose", refusal.message)
        else:
            response = HttpResponse(made.content, content_type=made.content_type)
            response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
            return response
    return render(request, "api/export.html", {"title": "Export a list", "form": form})
