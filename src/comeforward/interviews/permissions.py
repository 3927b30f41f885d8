"""Who may record an interview under caution on a case — **the one rule** (issue 19.2;
docs/extensions.md). Pure over the user and the case; the panel's button, the view
(``cases.case_pages.case_action``) and the service (``cases.extensions.require_action``) read it.
Which cases a user sees at all is need-to-know (``cases.selectors``), decided before."""

from __future__ import annotations

from comeforward.cases.extensions import Action, allow, deny

from .access import RECORDERS

RECORD = "interviews.record"


def interview_actions(user, case) -> list[Action]:
    label = "Record the interview"
    if getattr(user, "role", None) not in RECORDERS:
        return [deny(RECORD, label, "Only an investigator or a supervisor records an interview")]
    return [allow(RECORD, label)]
