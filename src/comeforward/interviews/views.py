"""Interview pages. No business logic: the form goes to the service through
``ui.forms.submit`` (a refusal is shown on the form); who may open the page is the one
permission rule (``permissions.interview_actions``, through ``case_action``)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.cases.case_pages import case_action, case_page
from comeforward.ui.forms import submit
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services
from .access import RECORDERS
from .forms import InterviewForm


@role_required(*RECORDERS)
@case_page("case.interview")
@case_action(permissions.RECORD)
def interview_new(request, case_id: int, record):
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        officer_choices=selectors.officer_choices(record),
    )
    return submit(
        request,
        form,
        lambda data: services.interview_record(actor=request.user, case=record, **data),
        success=_("Interview recorded"),
        then=reverse("cases:detail", kwargs={"case_id": record.pk}),
    ) or render(
        request,
        "interviews/new.html",
        {"title": "Record the interview under caution", "case": record, "form": form},
    )
