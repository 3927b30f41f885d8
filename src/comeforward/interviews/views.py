"""Interview pages. No business logic."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from comeforward.cases.case_pages import case_page
from comeforward.errors import DomainError
from comeforward.ui.forms import show_refusal
from comeforward.ui.permissions import role_required

from . import selectors, services
from .access import RECORDERS
from .forms import InterviewForm


@role_required(*RECORDERS)
@case_page("case.interview")
def interview_new(request, case_id: int, record):
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        officer_choices=selectors.officer_choices(record),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_record(actor=request.user, case=record, **form.cleaned_data)
        except DomainError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Interview recorded")
            return redirect("cases:detail", case_id=record.pk)
    return render(
        request,
        "interviews/new.html",
        {"title": "Record the interview under caution", "case": record, "form": form},
    )
