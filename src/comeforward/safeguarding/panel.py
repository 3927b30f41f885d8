"""The safeguarding section of the case page (its case extension)."""

from __future__ import annotations

from typing import Any

from . import permissions
from .access import VIEWERS
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
    user = request.user
    screen = screen_latest(case)
    referrals = referrals_for_case(case)
    children = children_current(case)
    # The links: the one permission rule (permissions.py), never re-derived here — for the
    # case, and for each referral and each child record listed.
    actions = permissions.by_verb(
        permissions.safeguarding_actions(
            user,
            case,
            open_referral=any(r.is_open for r in referrals),
            current_child=bool(children),
        )
    )
    return {
        "screen": screen,
        "referrals": referrals,
        "outstanding": outstanding_referrals(screen, referrals),
        "actions": actions,
        "referral_actions": {r.pk: permissions.referral_action(user, case, r) for r in referrals},
        "child_actions": {
            c.pk: permissions.child_actions(user, case, current=True) for c in children
        },
        "children": children,
        "rescreen_due": rescreen_due(case),
        "child_labels": {
            "age_band": AGE_BANDS,
            "relationship": RELATIONSHIPS,
            "access_kind": ACCESS_KINDS,
        },
    }
