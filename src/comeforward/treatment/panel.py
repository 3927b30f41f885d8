"""Treatment's section of the case page (its case extension)."""

from __future__ import annotations

from comeforward.cases.domain.states import CaseState
from comeforward.roles import Role

from . import selectors, services
from .domain import AFTER_CAUTION_STATES
from .permissions import treatment_actions

POLICE_ACTORS = frozenset({Role.OFFENDER_MANAGER, Role.INVESTIGATOR, Role.SUPERVISOR})
REFERRAL_STATES = frozenset({CaseState.CAUTIONED, CaseState.BREACHED})


def panel_context(request, case) -> dict | None:
    if case.state not in AFTER_CAUTION_STATES:
        return None
    user = request.user
    referral = selectors.referral_for_case(case)
    reviews = selectors.case_breach_reviews(case)
    if referral is None and not reviews and case.state not in REFERRAL_STATES:
        return None
    is_provider = referral is not None and selectors.reads_notes(user, referral)
    breach_route = services.breach_route_open(case)
    # The links: the one permission rule (permissions.py), never re-derived here.
    actions = {
        action.key.split(".", 1)[1]: action
        for action in treatment_actions(
            user, case, referral=referral, reviews=reviews, breach_route=breach_route
        )
    }
    return {
        "referral": referral,
        "sessions": selectors.referral_sessions(referral) if referral else [],
        "notes": selectors.referral_notes(user, referral) if referral else None,
        "note_count": selectors.referral_note_count(referral) if referral else 0,
        "reviews": reviews,
        "is_provider": is_provider,
        "is_police": user.role in POLICE_ACTORS,
        "breach_route": breach_route,
        "actions": actions,
    }
