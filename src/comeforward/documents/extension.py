"""The documents app's part of a case (the case-extension contract, docs/extensions.md): the
case page's "Documents" section (the kinds themselves come from the other apps' extensions)."""

from __future__ import annotations

from comeforward.cases.extensions import CaseExtension

from .panel import documents_panel_context


class DocumentsExtension(CaseExtension):
    key = "documents"
    title = "Documents"
    # After the register's section (both were 90; the register registered first).
    order = 95
    panel_template = "documents/_panel.html"

    def panel(self, request, case):
        return documents_panel_context(request, case)

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns
