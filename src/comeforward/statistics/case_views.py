"""The statistics app's case pages (mounted under ``cases/<case_id>/statistics/`` by its case
extension, ``cases.case_pages``): record equality monitoring and follow-up checks for one case.

Each is a case page (the case loaded scoped to the user, the consultation audited with the
reason, DPA 2018 s.62) and a case action (the one permission rule, ``permissions.py``), and the
service checks the same rule again (``require_action``)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.cases.case_pages import case_action, case_page
from comeforward.ui.forms import submit as submit_form
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services
from .forms import CaseFollowUpEventForm, EqualityMonitoringForm

TEMPLATE = "statistics/case_form.html"


def _page(request, form, case, action, *, title, submit, success, intro="", skip=""):
    then = reverse("cases:detail", kwargs={"case_id": case.pk})
    return submit_form(request, form, action, success=success, then=then) or render(
        request,
        TEMPLATE,
        {
            "title": title,
            "form": form,
            "case": case,
            "submit": submit,
            "intro": intro,
            "skip": skip,
        },
    )


@role_required(*selectors.EQUALITY_ROLES)
@case_page("statistics.equality_monitoring")
@case_action(permissions.EQUALITY_RECORD)
def equality(request, case_id: int, record):
    """Record or update the answers. Reached from the case page, or as the intake journey's
    last, optional step (``?from=intake``: every question may be skipped)."""
    case = record
    current = selectors.case_equality(case)
    initial = (
        {"sex": current.sex, "ethnicity": current.ethnicity, "disability": current.disability}
        if current
        else {"sex": "", "ethnicity": "", "disability": ""}
    )
    form = EqualityMonitoringForm(request.POST or None, initial=initial)
    at_intake = request.GET.get("from") == "intake"
    intro = (
        f"Age band at referral (from the date of birth): {selectors.person_age_band(case)}."
        " Every question is optional: the person may prefer not to say."
    )
    if at_intake:
        intro = (
            f"Case {case.reference} is open. Ask the person these questions only if they are "
            "willing to answer: every question is optional, and they may prefer not to say. "
            "The answers are used only for equality monitoring (outcomes by group, never by "
            "name) and kept encrypted. " + intro.split(". ", 1)[0] + "."
        )
    return _page(
        request,
        form,
        case,
        lambda data: services.equality_record(actor=request.user, case=case, **data),
        title="Equality monitoring questions (optional)" if at_intake else "Equality monitoring",
        submit="Save",
        success=_("Equality monitoring saved"),
        intro=intro,
        skip="Skip these questions and go to the case" if at_intake else "",
    )


@role_required(*selectors.FOLLOW_UP_ROLES)
@case_page("statistics.follow_up_event")
@case_action(permissions.FOLLOW_UP_RECORD)
def follow_up(request, case_id: int, record):
    case = record
    form = CaseFollowUpEventForm(request.POST or None)
    return _page(
        request,
        form,
        case,
        lambda data: services.follow_up_event_record(actor=request.user, case=case, **data),
        title="Record a follow-up check",
        submit="Record",
        success=_("Follow-up event recorded"),
        intro="What a check of the Police National Computer (or another source) found: the "
        "statistics count re-arrests and reconvictions within 1, 2 and 5 years of the disposal.",
    )
