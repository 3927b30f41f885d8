"""Treatment's part of a case (the case-extension contract, docs/extensions.md): referral and
breach facts for the workflow guards, the referral letter and the case page's "Treatment and
breach" section."""

from __future__ import annotations

from comeforward.cases.extensions import CaseExtension

from . import selectors, services
from .documents import REFERRAL_DOCUMENT
from .facts import treatment_facts
from .panel import panel_context
from .permissions import treatment_actions


class TreatmentExtension(CaseExtension):
    key = "treatment"
    title = "Treatment and breach"
    order = 80
    panel_template = "treatment/_panel.html"

    def facts(self, case):
        return treatment_facts(case)

    def panel(self, request, case):
        return panel_context(request, case)

    def document_kinds(self):
        return (REFERRAL_DOCUMENT,)

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns

    def allowed_actions(self, user, case):
        return treatment_actions(
            user,
            case,
            referral=selectors.referral_for_case(case),
            reviews=selectors.case_breach_reviews(case),
            breach_route=services.breach_route_open(case),
        )
