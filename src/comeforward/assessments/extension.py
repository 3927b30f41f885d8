"""The independent assessment's part of a case (the case-extension contract,
docs/extensions.md): ``assessment_complete`` for the workflow guards, the assessment as a
policy source (E6 risk level, E11 CASIC item f), the case page's section and who may refer,
declare, complete and share (``permissions.assessment_actions``)."""

from __future__ import annotations

from comeforward.cases.extensions import CaseExtension

from . import selectors
from .panel import assessment_panel_context
from .permissions import assessment_actions


class AssessmentsExtension(CaseExtension):
    key = "assessments"
    title = "Independent assessment"
    order = 60
    panel_template = "assessments/_panel.html"
    policy_source = "Independent assessment"

    def facts(self, case):
        return selectors.assessment_facts(case)

    def policy_facts(self, case):
        return selectors.assessment_policy_facts(case)

    def panel(self, request, case):
        return assessment_panel_context(request, case)

    def allowed_actions(self, user, case):
        return assessment_actions(
            user,
            case,
            assessment=selectors.case_assessment(case),
            declaration=selectors.declaration_of(user, case),
            narrative_shared=selectors.narrative_shared(case),
        )

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns
