"""The leads app's case extension (cases/extensions.py): where a case came from a bulk lead,
the case page shows the lead's provenance — to the leads compartment only — and the actions
the lead offers on the case."""

from __future__ import annotations

from typing import Any

from comeforward.cases.extensions import Action, CaseExtension, allow, deny

from . import selectors


class LeadsExtension(CaseExtension):
    key = "leads"
    title = "Origin: bulk intelligence lead"
    order = 15
    panel_template = "leads/_case_panel.html"

    def panel(self, request: Any, case: Any) -> dict[str, Any] | None:
        if not selectors.lead_origin_known(case):
            return None
        lead = selectors.lead_for_case(request.user, case)
        return {
            "lead": lead,  # None: the case came from a lead the user may not see
            "actions": list(self.allowed_actions(request.user, case)),
        }

    def allowed_actions(self, user: Any, case: Any) -> list[Action]:
        if not selectors.lead_origin_known(case):
            return []
        label = "View the lead this case came from"
        if selectors.lead_for_case(user, case) is None:
            return [
                deny(
                    "leads.view_origin",
                    label,
                    "Only the force's leads team and named supervisors can see bulk leads",
                )
            ]
        return [allow("leads.view_origin", label)]
