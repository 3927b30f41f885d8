"""The register's part of a case (the case-extension contract, docs/extensions.md): the
case page's "Notification requirements" section, the written notice and the letter at the
end of the period, and the register period as a policy source (a notification of residing or
staying with a child, Regs 2012)."""

from __future__ import annotations

from typing import Any

from comeforward.cases.extensions import CaseExtension

from . import selectors
from .notice import ENDED_LETTER, NOTICE
from .panel import panel_context
from .permissions import register_actions

REGISTER = "Register period notifications"


class RegisterExtension(CaseExtension):
    key = "register"
    title = "Notification requirements"
    order = 90
    panel_template = "register/_panel.html"
    policy_source = REGISTER
    #: ``register`` names the register's own pages (``register/…``, ``register:detail``).
    url_namespace = "register-case"

    def policy_facts(self, case) -> dict[str, Any]:
        if selectors.notified_child_household(case):
            return {"access_to_children": True}
        return {}

    def panel(self, request, case):
        return panel_context(request, case)

    def document_kinds(self):
        return (NOTICE, ENDED_LETTER)

    def allowed_actions(self, user, case):
        return register_actions(user, case, record=selectors.record_for_case(user, case))

    def case_urls(self):
        from .case_urls import urlpatterns

        return urlpatterns
