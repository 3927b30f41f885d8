from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from comeforward.roles import Role
from comeforward.ui.permissions import role_required

from . import trail as trail_reads
from .access import remember_reason, safe_next
from .forms import AccessReasonForm, TrailFilterForm


def access_reason(request):
    """Ask once per record per session why it is being opened (DPA 2018 s.62(2))."""
    subject = request.GET.get("subject", "")
    subject_type, _, subject_id = subject.partition(":")
    if not subject_type or not subject_id.isdigit():
        raise Http404
    next_url = safe_next(request, request.GET.get("next"), "/")
    form = AccessReasonForm(request.POST or None, subject_type=subject_type)
    if request.method == "POST" and form.is_valid():
        remember_reason(request, subject_type, subject_id, form.justification())
        return redirect(next_url)
    return render(
        request,
        "audit/reason.html",
        {
            "form": form,
            "title": "Why are you opening this enquiry?"
            if subject_type == "enquiry"
            else "Why are you opening this record?",
            "next_url": next_url,
        },
    )


@role_required(Role.ADMINISTRATOR)
def trail(request):
    """The audit trail, newest first, filterable by user, case and local date."""
    form = TrailFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = trail_reads.trail_events(
        request.user,
        actor_email=filters.get("user") or "",
        case_reference=filters.get("case") or "",
        on_or_after=filters.get("date_from"),
        on_or_before=filters.get("date_to"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.local_time = trail_reads.local_time(event.occurred_at)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {"title": "Audit trail", "page": page, "form": form, "query": query.urlencode()},
    )
