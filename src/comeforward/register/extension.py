"""The register's part of a case (the case-extension contract, docs/extensions.md): the
case page's "Notification requirements" section, the written notice and the letter at the
end of the period, and the register period as a policy source (a notification of residing or
staying with a child, Regs 2012)."""

from __future__ import annotations

from typing import Any

from comeforward.cases.extensions import Action, CaseExtension, allow, deny
from comeforward.roles import Role

from . import selectors
from .errors import RegisterRecordExists
from .notice import ENDED_LETTER, NOTICE
from .panel import panel_context

REGISTER = "Register period notifications"

ENTER = "register.enter"
OPEN = "register.open"
MANAGERS = frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR})


def register_actions(user, case, *, record) -> list[Action]:
    """Who may do what from the case page — the one rule (issue 19.2, docs/extensions.md),
    pure over the case and its register record (``None``: none yet). Entering a person already
    subject to the requirements is for the owning force's offender managers and supervisors,
    once; opening the record for whoever may read it (``selectors.records_visible_to``)."""
    role = getattr(user, "role", None)
    own_force = getattr(user, "organisation_id", None) == case.owning_organisation_id
    if role not in MANAGERS or not own_force:
        enter = deny(
            ENTER,
            "Enter a person subject to notification requirements",
            "Only the force's offender managers and supervisors enter a register record",
        )
    elif record is not None:
        enter = deny(
            ENTER,
            "Enter a person subject to notification requirements",
            "This case already has a register record",
            error=RegisterRecordExists,
        )
    else:
        enter = allow(ENTER, "Enter a person subject to notification requirements")
    if record is None:
        opened = deny(OPEN, "Open the register record", "No register record")
    else:
        opened = allow(OPEN, "Open the register record")
    return [enter, opened]


class RegisterExtension(CaseExtension):
    key = "register"
    title = "Notification requirements"
    order = 90
    panel_template = "register/_panel.html"
    policy_source = REGISTER

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
