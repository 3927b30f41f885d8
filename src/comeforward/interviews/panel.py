"""The interview section of the case page (its case extension)."""

from __future__ import annotations

from typing import Any

from comeforward.law import OFFENCE_LABELS

from .access import POLICE_CASE_ROLES, SUMMARY_VIEWERS
from .permissions import interview_actions
from .selectors import interviews_for_case


def interviews_panel_context(request, case) -> dict[str, Any] | None:
    if not request.user.has_role(*SUMMARY_VIEWERS):
        return None
    return {
        "interviews": interviews_for_case(case),
        "offence_labels": {o.value: label for o, label in OFFENCE_LABELS.items()},
        "show_narrative": request.user.has_role(*POLICE_CASE_ROLES),
        # The button: the one permission rule (permissions.py), never re-derived here.
        "actions": {a.key.split(".", 1)[1]: a for a in interview_actions(request.user, case)},
    }
