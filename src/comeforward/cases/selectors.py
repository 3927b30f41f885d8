"""Reads about cases, always starting from what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import Http404

from .domain.states import CaseState
from .domain.workflow import allowed_targets, unmet_conditions
from .facts import case_facts
from .models import Case, CaseStatusChange


def cases_visible_to(user):
    return Case.objects.visible_to(user).select_related("person")


def case_get_for_user(user, *, case_id: int) -> Case:
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case, or you do not have access to it")
    return case


def work_queue(user, *, states) -> list[Case]:
    if not states:
        return []
    return list(
        cases_visible_to(user).filter(state__in=list(states)).order_by("state_changed_at")[:200]
    )


def case_search(user, *, query: str, limit: int = 50) -> list[Case]:
    """Search by case reference, name or date of birth (``YYYY-MM-DD`` or ``D/M/YYYY``)."""
    query = query.strip()
    if not query:
        return []
    cases = cases_visible_to(user)
    date = _parse_date(query)
    if date is not None:
        cases = cases.filter(person__date_of_birth=date)
    elif query.upper().startswith("CF-"):
        cases = cases.filter(reference__istartswith=query)
    else:
        for word in query.split():
            cases = cases.filter(
                Q(person__family_name__istartswith=word) | Q(person__given_names__istartswith=word)
            )
    return list(cases.order_by("-created_at")[:limit])


def _parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def case_next_steps(case: Case) -> list[dict]:
    """Each state the case could move to, with what still stops it (for the case page)."""
    facts = case_facts(case)
    current = CaseState(case.state)
    steps = []
    for target in sorted(allowed_targets(current), key=lambda s: list(CaseState).index(s)):
        unmet = unmet_conditions(current, target, facts, reason="x")
        steps.append(
            {"state": target.value, "label": target.label, "unmet": [c.message for c in unmet]}
        )
    return steps


def case_status_history(case: Case) -> list[CaseStatusChange]:
    return list(case.status_changes.select_related("actor").order_by("-at", "-pk"))
