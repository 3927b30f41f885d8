"""Who may record equality monitoring and follow-up events on a case — **the one rule**
(issue 19.2, docs/extensions.md, docs/statistics.md). Pure over the user and the case; the case
page's links (``extension.py``), the views (``cases.case_pages.case_action``) and the services
(``cases.extensions.require_action``) all read it.

Both are police caseworkers' work in the force that owns the case (supervisors, offender
managers, investigators: ``selectors.FOLLOW_UP_ROLES``); the intake officer also records the
equality-monitoring answers, asked at intake (``selectors.EQUALITY_ROLES``). A user of another
organisation is refused even if they reached the case some other way (fail closed)."""

from __future__ import annotations

from comeforward.cases.extensions import Action, allow, deny

from .selectors import EQUALITY_ROLES, FOLLOW_UP_ROLES

EQUALITY_RECORD = "statistics.equality_record"
FOLLOW_UP_RECORD = "statistics.follow_up_record"

LABELS = {
    EQUALITY_RECORD: "Record equality monitoring",
    FOLLOW_UP_RECORD: "Record a follow-up check",
}


def _caseworker(user, case, key: str) -> Action:
    label = LABELS[key]
    roles = EQUALITY_ROLES if key == EQUALITY_RECORD else FOLLOW_UP_ROLES
    if getattr(user, "role", None) not in roles:
        return deny(key, label, "Only police caseworkers of the owning force can do this")
    if getattr(user, "organisation_id", None) != case.owning_organisation_id:
        return deny(key, label, "Only the force that owns the case can do this")
    return allow(key, label)


def statistics_actions(user, case) -> list[Action]:
    return [_caseworker(user, case, EQUALITY_RECORD), _caseworker(user, case, FOLLOW_UP_RECORD)]


def may_read_equality(user, case) -> bool:
    """Who sees the recorded values on the case page: the caseworkers who may record them."""
    return bool(_caseworker(user, case, EQUALITY_RECORD))
