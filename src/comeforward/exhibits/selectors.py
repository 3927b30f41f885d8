"""Reads about exhibits, always from a case the user may see (cases.selectors)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from comeforward.cases.selectors import case_get_for_user

from .models import CustodyEvent, Examination, Exhibit


def exhibits_for_case(case) -> list[Exhibit]:
    """The case's exhibits, each with ``latest_examination`` (or ``None``)."""
    exhibits = list(
        Exhibit.objects.filter(case=case)
        .prefetch_related(
            Prefetch("examinations", queryset=Examination.objects.order_by("-imported_at", "-pk"))
        )
        .order_by("received_at", "pk")
    )
    for exhibit in exhibits:
        examinations = list(exhibit.examinations.all())
        exhibit.latest_examination = examinations[0] if examinations else None
    return exhibits


def exhibit_get_for_user(user, *, case_id: int, exhibit_id: int) -> Exhibit:
    case = case_get_for_user(user, case_id=case_id)
    exhibit = Exhibit.objects.filter(case=case, pk=exhibit_id).select_related("case").first()
    if exhibit is None:
        raise Http404("No such exhibit on this case")
    return exhibit


def custody_log(exhibit: Exhibit) -> list[CustodyEvent]:
    return list(exhibit.custody_events.select_related("actor").order_by("at", "pk"))


def examinations_of(exhibit: Exhibit) -> list[Examination]:
    return list(exhibit.examinations.select_related("imported_by").order_by("-imported_at", "-pk"))


def exhibits_facts(case) -> dict[str, Any]:
    """Facts for the workflow guards: exhibits received, and those with no examination yet."""
    counts = Exhibit.objects.filter(case=case).aggregate(
        received=Count("pk", distinct=True),
        untriaged=Count("pk", filter=Q(examinations__isnull=True), distinct=True),
    )
    return {"exhibits_received": counts["received"], "exhibits_untriaged": counts["untriaged"]}


def triage_jobs_of(exhibit: Exhibit) -> list:
    return list(exhibit.triage_jobs.select_related("requested_by").all()[:20])
