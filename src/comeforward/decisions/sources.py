"""Policy facts read from the other apps' selectors, where those apps are installed.

Safeguarding screen → access to children (E9) and working with children (E10); exhibits'
forensic examinations → examination complete (E3) and category counts (E7, the latest
examination of each exhibit). Anything these records do not hold is left to the supervisor.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps


def _selectors(app: str):
    if not apps.is_installed(f"comeforward.{app}"):
        return None
    return import_module(f"comeforward.{app}.selectors")


def safeguarding_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("safeguarding")
    screen = selectors.screen_latest(case) if selectors else None
    if screen is None:
        return {}
    return {
        "access_to_children": screen.children_in_household,
        "works_or_volunteers_with_children": screen.works_with_children,
    }


def exhibits_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("exhibits")
    if selectors is None:
        return {}
    exhibits = selectors.exhibits_for_case(case)
    if not exhibits:
        return {}
    latest = []
    for exhibit in exhibits:
        examinations = selectors.examinations_of(exhibit)
        if not examinations:
            return {"forensic_examination_complete": False}
        latest.append(max(examinations, key=lambda e: e.pk))
    return {
        "forensic_examination_complete": True,
        "category_a_count": sum(e.category_a for e in latest),
        "category_b_count": sum(e.category_b for e in latest),
        "category_c_count": sum(e.category_c for e in latest),
    }
