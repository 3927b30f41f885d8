"""The enquiries app's part of a case (the case-extension contract, docs/extensions.md): on
the case page, the anonymous enquiry the case was made from, linked with the consent the
person gave when they came forward (issue 20.6)."""

from __future__ import annotations

from comeforward.cases.extensions import CaseExtension

from . import selectors


class EnquiriesExtension(CaseExtension):
    key = "enquiries"
    title = "Anonymous enquiry"
    order = 5
    panel_template = "enquiries/_case_panel.html"

    def panel(self, request, case):
        found = selectors.enquiry_for_case(request.user, case)
        return None if found is None else {"enquiry": found}
