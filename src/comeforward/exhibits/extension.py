"""Exhibits' part of a case (the case-extension contract, docs/extensions.md): the exhibits
received and untriaged for the workflow guards, the forensic examinations as a policy source,
the case page's "Exhibits and forensic examination" section, exhibit references in the
case search and who may do what (``permissions.exhibit_actions``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from comeforward.cases.extensions import CaseExtension, SearchHit

from . import selectors
from .panel import exhibits_panel_context
from .permissions import exhibit_actions

EXAMINATIONS = "Forensic examinations"


def examinations_policy_facts(case) -> dict[str, Any]:
    """Examination complete (E3), graded category counts, ungraded material and its certified
    sample review (E3/E7), and the examiner's confirmed findings of production or distribution
    (E5) and contact offending (E4), from the latest examination of each exhibit."""
    exhibits = selectors.exhibits_for_case(case)
    if not exhibits:
        return {}
    latest = []
    for exhibit in exhibits:
        examinations = selectors.examinations_of(exhibit)
        if not examinations:
            return {"forensic_examination_complete": False}
        latest.append(max(examinations, key=lambda e: e.pk))
    ungraded = sum(e.ungraded_total for e in latest)
    facts: dict[str, Any] = {
        "forensic_examination_complete": True,
        "category_a_count": sum(e.category_a for e in latest),
        "category_b_count": sum(e.category_b for e in latest),
        "category_c_count": sum(e.category_c for e in latest),
        "ungraded_item_count": ungraded,
    }
    if ungraded:
        facts["ungraded_sample_review_certified"] = all(
            e.ungraded_total == 0 or e.sample_review_certified for e in latest
        )
    findings = [e.findings or {} for e in latest]
    if any(f.get("production") or f.get("distribution") for f in findings):
        facts["production_or_distribution"] = True
    if any(f.get("contact_offending") for f in findings):
        facts["contact_sexual_offending"] = True
    return facts


class ExhibitsExtension(CaseExtension):
    key = "exhibits"
    title = "Exhibits and forensic examination"
    order = 30
    panel_template = "exhibits/_panel.html"
    policy_source = EXAMINATIONS

    def facts(self, case):
        return selectors.exhibits_facts(case)

    def policy_facts(self, case):
        return examinations_policy_facts(case)

    def panel(self, request, case):
        return exhibits_panel_context(request, case)

    def search(self, user, query):
        """The cases (visible to the user) holding an exhibit with this reference."""
        reference = query.strip().upper()
        return [
            SearchHit(
                title=f"Exhibit {reference}",
                url=reverse("cases:detail", kwargs={"case_id": case_id}),
                kind="exhibit",
                case_id=case_id,
            )
            for case_id in selectors.case_ids_for_exhibit_reference(user, query)
        ]

    def allowed_actions(self, user, case):
        return exhibit_actions(user, case, **selectors.case_holdings(case))

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns
