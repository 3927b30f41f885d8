"""The safeguarding section of the case page (its case extension)."""

from __future__ import annotations

from typing import Any

from .access import RECORDERS, VIEWERS
from .rules import ACCESS_KINDS, AGE_BANDS, RELATIONSHIPS
from .selectors import (
    children_current,
    outstanding_referrals,
    referrals_for_case,
    rescreen_due,
    screen_latest,
)


def safeguarding_panel_context(request, case) -> dict[str, Any] | None:
    if not request.user.has_role(*VIEWERS):
        return None
    screen = screen_latest(case)
    referrals = referrals_for_case(case)
    return {
        "screen": screen,
        "referrals": referrals,
        "outstanding": outstanding_referrals(screen, referrals),
        "can_record": request.user.has_role(*RECORDERS),
        "children": children_current(case),
        "rescreen_due": rescreen_due(case),
        "child_labels": {
            "age_band": AGE_BANDS,
            "relationship": RELATIONSHIPS,
            "access_kind": ACCESS_KINDS,
        },
    }
