"""Interviews' part of a case (the case-extension contract, docs/extensions.md): admission and
interview facts for the workflow guards, the interview as a policy source (E2 admission, E13
offences admitted), the case page's "Interview under caution" section and who may record one
(``permissions.interview_actions``)."""

from __future__ import annotations

from typing import Any

from comeforward.cases.extensions import CaseExtension
from comeforward.law import Offence

from . import selectors
from .panel import interviews_panel_context
from .permissions import interview_actions

INTERVIEW = "Interview"

#: The interview records the law engine's offence values (comeforward.law.Offence).
LAW_OFFENCES = frozenset(o.value for o in Offence)


def interview_policy_facts(case) -> dict[str, Any]:
    """The latest interview's admission (E2) and offences admitted (E13)."""
    interviews = selectors.interviews_for_case(case)
    if not interviews:
        return {}
    latest = max(interviews, key=lambda i: (i.held_on, i.pk))
    offences = [o for o in latest.offences_admitted if o in LAW_OFFENCES]
    return {
        "admission_recorded": latest.admission_recorded,
        "offences": offences or None,
    }


class InterviewsExtension(CaseExtension):
    key = "interviews"
    title = "Interview under caution"
    order = 40
    panel_template = "interviews/_panel.html"
    policy_source = INTERVIEW

    def facts(self, case):
        return selectors.interviews_facts(case)

    def policy_facts(self, case):
        return interview_policy_facts(case)

    def panel(self, request, case):
        return interviews_panel_context(request, case)

    def allowed_actions(self, user, case):
        return interview_actions(user, case)

    def case_urls(self):
        from .urls import urlpatterns

        return urlpatterns
