from __future__ import annotations

from typing import Any

from . import selectors


def documents_panel_context(request, case) -> dict[str, Any] | None:
    kinds = selectors.kinds_for(request.user)
    if not kinds:
        return None
    return {"documents": selectors.documents_for_case(request.user, case)}
