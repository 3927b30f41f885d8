"""Web pages of the api app: the API reference (rendered from the OpenAPI schema, no
JavaScript, works under the CSP), administrators' integration clients, and exports."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from comeforward.roles import Role
from comeforward.ui.forms import attempt, reason_page
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
    registered = attempt(
        request,
        form,
        lambda data: services.api_client_create(
            actor=request.user,
            name=data["name"],
            purpose=data["purpose"],
            organisation=organisation,
            role=data["role"],
            scopes=data["scopes"],
            expires_at=form.expires_at(),
            ip_allowlist=form.allowlist(),
        ),
        field=lambda refusal: "ip_allowlist" if "ip_allowlist" in refusal.details else None,
    )
    if registered:
        client, token = registered.result
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
    return reason_page(
        request,
        RevokeForm(request.POST or None),
        lambda reason: services.api_client_revoke(actor=request.user, client=client, reason=reason),
        success=_("%(name)s is revoked: its token no longer works") % {"name": client.name},
        then=reverse("api-clients:list"),
        template="api/client_revoke.html",
        context={"title": f"Revoke {client.name}", "client": client},
    )


@never_cache
@role_required(*{role for kind in exports.KINDS.values() for role in kind.roles})
def export(request):
    """Download a case list, task queue, register list or audit extract (CSV or ODS), audited
    with its purpose and watermarked with who made it."""
    form = ExportForm(request.POST or None, user=request.user)
    made = attempt(
        request,
        form,
        lambda data: exports.export_make(
            actor=request.user, kind=data["kind"], fmt=data["format"], purpose=data["purpose"]
        ),
        field="purpose",
    )
    if made:
        response = HttpResponse(made.result.content, content_type=made.result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{made.result.filename}"'
        return response
    return render(request, "api/export.html", {"title": "Export a list", "form": form})
