"""Reads about interviews, from a case the user may already see."""

from __future__ import annotations

from typing import Any

from .access import POLICE_CASE_ROLES
from .models import Interview


def interviews_for_case(case) -> list[Interview]:
    return list(
        Interview.objects.filter(case=case)
        .prefetch_related("officers_present")
        .order_by("held_on", "pk")
    )


def officer_choices(case) -> list[tuple[int, str]]:
    """Police members of the case team, who may have been present at the interview."""
    return [
        (m.user.pk, m.user.full_name)
        for m in case.team.select_related("user").order_by("user__full_name")
        if m.user.role in POLICE_CASE_ROLES
    ]


def interviews_facts(case) -> dict[str, Any]:
    return {
        "admission_recorded": Interview.objects.filter(case=case, admission_recorded=True).exists(),
        # Any interview, whatever was admitted: the policy (E2) decides what it means.
        "interview_recorded": Interview.objects.filter(case=case).exists(),
    }
