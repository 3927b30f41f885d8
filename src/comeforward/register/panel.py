"""The register's section of the case page (cases.panels)."""

from __future__ import annotations

from . import selectors


def panel_context(request, case) -> dict | None:
    """Shown to the owning force's police users who may see the record; offender managers
    and supervisors are offered to enter one when there is none. Partners see nothing."""
    user = request.user
    record = selectors.record_for_case(user, case)
    if record is None:
        if user.role in selectors.REGISTER_MANAGERS and user.organisation_id == (
            case.owning_organisation_id
        ):
            return {"record": None, "due_items": []}
        return None
    return {"record": record, "due_items": selectors.record_due_items(record)}
