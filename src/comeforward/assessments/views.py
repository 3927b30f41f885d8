"""Assessment pages: thin — forms in, services do the work. Each is a case page
(``cases.case_pages.case_page``) that only the one permission rule
(``permissions.assessment_actions``, through ``case_action``) lets a user open."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.cases.case_pages import case_action, case_page
from comeforward.roles import Role
from comeforward.ui.forms import case_form_page, submit
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services
from .forms import AssessmentForm, ConflictForm, ReferForm

_page = case_form_page


@role_required(*permissions.REFERRERS)
@case_page("assessment.refer")
@case_action(permissions.REFER)
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
@case_action(permissions.DECLARE_CONFLICT)
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
@case_action(permissions.COMPLETE)
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
@case_action(permissions.SHARE_NARRATIVE)
def share_narrative(request, case_id: int, record):
    """A button on the case page: the service's refusal (a race with the rule) is flashed
    there, as the rule's is."""
    then = reverse("cases:detail", kwargs={"case_id": record.pk})
    form = forms.Form(request.POST)
    done = submit(
        request,
        form,
        lambda _data: services.narrative_access_grant(actor=request.user, case=record),
        success=_("The clinical narrative is now shared with the case team"),
        then=then,
    )
    if done is None:
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(then)
    return done
