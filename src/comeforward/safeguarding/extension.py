"""Safeguarding's part of a case (the case-extension contract, docs/extensions.md): the
screen and referral facts the workflow guards read, the two policy sources (the screen and
the children recorded), the case page's "Safeguarding" section and who may record what
(``permissions.safeguarding_actions``)."""

from __future__ import annotations

from typing import Any

from comeforward.cases.extensions import CaseExtension

from . import selectors
from .panel import safeguarding_panel_context
from .permissions import safeguarding_actions

#: How the recommendation cites the screen and the children recorded (issue 12.3).
SCREEN = "Safeguarding screen"
CHILDREN = "Children recorded (safeguarding)"


def screen_policy_facts(case) -> dict[str, Any]:
    """Children in the household (E9), works with children (E10). A screen's "no children" is
    not relied on once the children recorded have changed since it (the re-screen is due); a
    strategy discussion whose outcome is recorded → held (domain-rules.md §4.7, §5.2 S1)."""
    facts: dict[str, Any] = {}
    screen = selectors.screen_latest(case)
    if screen is not None:
        stale = selectors.rescreen_due(case)
        if screen.children_in_household or not stale:
            facts["access_to_children"] = screen.children_in_household
        facts["works_or_volunteers_with_children"] = screen.works_with_children
    held = any(
        r.kind == "strategy_discussion" and r.outcome_on is not None
        for r in selectors.referrals_for_case(case)
    )
    if held:
        facts["strategy_discussion_held"] = True
    return facts


def children_policy_facts(case) -> dict[str, Any]:
    """Any child with current access, supervised or not → access to children."""
    if not selectors.children_current(case):
        return {}
    return {"access_to_children": True}


class SafeguardingExtension(CaseExtension):
    key = "safeguarding"
    title = "Safeguarding"
    order = 20
    panel_template = "safeguarding/_panel.html"

    def facts(self, case):
        return selectors.safeguarding_facts(case)

    def policy_sources(self, case):
        return {SCREEN: screen_policy_facts(case), CHILDREN: children_policy_facts(case)}

    def panel(self, request, case):
        return safeguarding_panel_context(request, case)

    def allowed_actions(self, user, case):
        return safeguarding_actions(
            user,
            case,
            open_referral=any(r.is_open for r in selectors.referrals_for_case(case)),
            current_child=bool(selectors.children_current(case)),
        )

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns
