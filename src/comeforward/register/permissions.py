"""Who may do what with the register from a case: the one rule (issue 19.2,
docs/extensions.md), read by the case extension (``allowed_actions``), the panel's links, the
enter page (``case_action``) and the service's guard (``require_action``)."""

from __future__ import annotations

from comeforward.cases.extensions import Action, allow, deny
from comeforward.roles import Role

from .errors import RegisterRecordExists

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
