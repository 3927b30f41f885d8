"""The exhibits section of the case page (its case extension)."""

from __future__ import annotations

from typing import Any

from .access import EXAMINERS, RECORDERS, VIEWERS
from .selectors import exhibits_for_case


def exhibits_panel_context(request, case) -> dict[str, Any] | None:
    if not request.user.has_role(*VIEWERS):
        return None
    return {
        "exhibits": exhibits_for_case(case),
        "can_record": request.user.has_role(*RECORDERS),
        "can_examine": request.user.has_role(*EXAMINERS),
    }
