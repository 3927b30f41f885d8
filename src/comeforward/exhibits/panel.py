"""The exhibits section of the case page (its case extension). Its links are the one
permission rule (``permissions.exhibit_actions``), never re-derived here."""

from __future__ import annotations

from typing import Any

from . import permissions
from .access import VIEWERS
from .selectors import case_holdings, exhibits_for_case


def exhibits_panel_context(request, case) -> dict[str, Any] | None:
    user = request.user
    if not user.has_role(*VIEWERS):
        return None
    exhibits = exhibits_for_case(case)
    return {
        "exhibits": exhibits,
        "actions": permissions.by_verb(
            permissions.exhibit_actions(user, case, **case_holdings(case))
        ),
        "exhibit_actions": {e.pk: permissions.for_exhibit(user, case, e) for e in exhibits},
    }
