"""Assessment pages: thin — forms in, services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from comeforward.cases.case_pages import case_page
from comeforward.errors import DomainError
from comeforward.roles import Role
from comeforward.ui.forms import case_form_page
from comeforward.ui.permissions import role_required

from . import selectors, services
from .forms import AssessmentForm, ConflictForm, ReferForm

_page = case_form_page


@role_required(Role.SUPERVISOR, Role.INVESTIGATOR)
@case_page("assessment.refer")
def refer(request, case_id: int, record):
    form = ReferForm(request.POST or None, services=selectors.assessment_services())
    return _page(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Refer for independent assessment",
        button="Refer",
        act=lambda f: services.assessment_refer(
            actor=request.user,
            case=record,
            organisation=f.services[f.cleaned_data["organisation"]],
        ),
        done="The case has been referred for independent assessment",
    )


@role_required(Role.INDEPENDENT_ASSESSOR)
@case_page("assessment.conflict")
def conflict(request, case_id: int, record):
    form = ConflictForm(request.POST or None)
    return _page(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Declare any conflict of interest",
        button="Record my declaration",
        act=lambda f: services.conflict_declare(
            actor=request.user,
            case=record,
            has_conflict=f.cleaned_data["has_conflict"] == "yes",
            details=f.cleaned_data["details"],
        ),
        done="Your declaration has been recorded",
    )


@role_required(Role.INDEPENDENT_ASSESSOR)
@case_page("assessment.complete")
def complete(request, case_id: int, record):
    form = AssessmentForm(request.POST or None, from_case=selectors.casic_items_from_case(record))
    return _page(
        request,
        record,
        form,
        template="assessments/complete.html",
        title="Independent assessment",
        button="Complete the assessment",
        act=lambda f: services.assessment_complete(
            actor=request.user,
            case=record,
            instrument_items=f.instrument_items(),
            **f.assessment_fields(),
        ),
        done="The assessment is complete",
    )


@require_POST
@role_required(Role.INDEPENDENT_ASSESSOR)
@case_page("assessment.narrative_share")
def share_narrative(request, case_id: int, record):
    case = record
    try:
        services.narrative_access_grant(actor=request.user, case=case)
        messages.success(request, "The clinical narrative is now shared with the case team")
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("cases:detail", case_id=case.pk)
