"""Decisions' part of a case (the case-extension contract, docs/extensions.md): the decision,
caution and outcome facts for the workflow guards, the person's age today as a policy source
(E1), the decision documents and the case page's "Eligibility and decision" section."""

from __future__ import annotations

from comeforward.cases.extensions import CaseExtension

from . import selectors
from .documents import KINDS
from .panel import decisions_panel_context
from .permissions import decision_actions

AGE_TODAY = "Person record (age today)"


class DecisionsExtension(CaseExtension):
    key = "decisions"
    title = "Eligibility and decision"
    order = 70
    panel_template = "decisions/_panel.html"
    policy_source = AGE_TODAY

    def facts(self, case):
        return selectors.decision_facts(case)

    def policy_facts(self, case):
        return selectors.person_policy_facts(case)

    def panel(self, request, case):
        return decisions_panel_context(request, case)

    def document_kinds(self):
        return tuple(KINDS)

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns

    def allowed_actions(self, user, case):
        stored, holdings = selectors.decision_holdings(case)
        return decision_actions(user, stored, **holdings)
