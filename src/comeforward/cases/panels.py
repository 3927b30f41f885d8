"""Sections of the case page contributed by other apps (safeguarding, exhibits, …).

An app registers its panel in ``AppConfig.ready``:

    register_case_panel(CasePanel(key="safeguarding", title="Safeguarding", order=20,
                                  template="safeguarding/_panel.html",
                                  context=lambda request, case: {...}))

so that the case page grows without ``cases`` importing the other apps. ``context`` must read
through that app's selectors (scoped to ``request.user``); return ``None`` to hide the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CasePanel:
    key: str
    title: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


_PANELS: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _PANELS[panel.key] = panel


def case_panels(request, case) -> list[dict[str, Any]]:
    """The registered panels, then the sections of apps already moved onto the
    case-extension contract (``cases.extensions.case_panels``)."""
    from .extensions import case_panels as extension_panels

    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(request, case)
        if context is not None:
            rendered.append(
                {
                    "key": panel.key,
                    "title": panel.title,
                    "template": panel.template,
                    "context": context,
                }
            )
    return rendered + extension_panels(request, case)
