"""Case pages. Every record opened is consulted with a reason (audit.access)."""

from __future__ import annotations

from django.shortcuts import render

from comeforward.accounts.roles import CASEWORK_ROLES
from comeforward.audit.access import consult_with_reason
from comeforward.web.permissions import role_required

from . import selectors


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
    return render(request, "cases/detail.html", {"title": record.reference, "case": record})
