"""The safeguarding section of the case page (cases.panels)."""

from __future__ import annotations

from typing import Any

from .access import RECORDERS, VIEWERS
from .selectors import outstanding_referrals, referrals_for_case, screen_latest


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
    }
