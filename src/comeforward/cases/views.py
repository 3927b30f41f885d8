"""Case pages. Every record opened is consulted with a reason (audit.access)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from comeforward.accounts.roles import CASEWORK_ROLES
from comeforward.audit.access import consult_with_reason
from comeforward.web.permissions import role_required

from . import selectors, services
from .domain.workflow import CaseTransitionNotAllowed
from .forms import TransitionForm
from .panels import case_panels


@role_required(*CASEWORK_ROLES)
def case_list(request):
    cases = selectors.cases_visible_to(request.user).order_by("-state_changed_at")[:100]
    return render(request, "cases/list.html", {"title": "Cases", "cases": list(cases)})


@role_required(*CASEWORK_ROLES)
def case_search(request):
    query = request.GET.get("q", "")
    results = selectors.case_search(request.user, query=query)
    return render(
        request, "cases/search.html", {"title": "Search", "query": query, "results": results}
    )


@role_required(*CASEWORK_ROLES)
@consult_with_reason(
    subject_type="case",
    scope="case.summary",
    load=lambda request, case_id: selectors.case_get_for_user(request.user, case_id=case_id),
)
def case_detail(request, case_id: int, record):
    return render(
        request,
        "cases/detail.html",
        {
            "title": record.reference,
            "case": record,
            "panels": case_panels(request, record),
            "next_steps": selectors.case_next_steps(record),
            "history": selectors.case_status_history(record),
        },
    )


@require_POST
@role_required(*CASEWORK_ROLES)
def case_transition(request, case_id: int):
    case = selectors.case_get_for_user(request.user, case_id=case_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.case_transition(
                actor=request.user,
                case=case,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "The case has moved on")
        except CaseTransitionNotAllowed as refusal:
            messages.error(request, f"The case cannot move on yet: {refusal.message}")
    return redirect("cases:detail", case_id=case.pk)
