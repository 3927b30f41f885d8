"""Who may record what about a case's safeguarding — **the one rule** (issue 19.2;
docs/extensions.md). Pure over what it is given: the user, the case, and whether there is an
open referral and a current child record (for the case as a whole, or for the one referral or
child a page is about). The panel's links, the views and the services read it. A refusal names
the error the service has always raised.
"""

from __future__ import annotations

from comeforward.cases.extensions import Action, ActionNotAllowed, allow, deny

from .access import RECORDERS
from .errors import ChildRecordNotCurrent, ReferralAlreadyClosed

SCREEN = "safeguarding.screen"
REFER = "safeguarding.refer"
RECORD_OUTCOME = "safeguarding.record_outcome"
RECORD_CHILD = "safeguarding.record_child"
CHANGE_CHILD = "safeguarding.change_child"
END_CHILD = "safeguarding.end_child"

LABELS = {
    SCREEN: "Record the safeguarding screen",
    REFER: "Record a referral",
    RECORD_OUTCOME: "Record the referral's outcome",
    RECORD_CHILD: "Record a child",
    CHANGE_CHILD: "Change what is recorded about a child",
    END_CHILD: "Record that access to a child has ended",
}

NOT_A_RECORDER = "Only an intake officer, an investigator or a supervisor records safeguarding"


def safeguarding_actions(user, case, *, open_referral: bool, current_child: bool) -> list[Action]:
    """Every safeguarding action on ``case`` for ``user`` now. ``open_referral``: a referral
    whose outcome is not recorded (the one a page is about, or any on the case);
    ``current_child``: a child record neither changed nor ended (likewise)."""
    if getattr(user, "role", None) not in RECORDERS:
        return [deny(key, label, NOT_A_RECORDER) for key, label in LABELS.items()]
    actions = {key: allow(key, label) for key, label in LABELS.items()}
    if not open_referral:
        actions[RECORD_OUTCOME] = deny(
            RECORD_OUTCOME,
            LABELS[RECORD_OUTCOME],
            "This referral's outcome is already recorded",
            error=ReferralAlreadyClosed,
        )
    if not current_child:
        for key in (CHANGE_CHILD, END_CHILD):
            actions[key] = deny(
                key,
                LABELS[key],
                "This record has already been changed or ended: change the current one",
                error=ChildRecordNotCurrent,
            )
    return list(actions.values())


def by_verb(actions) -> dict[str, Action]:
    return {action.key.split(".", 1)[1]: action for action in actions}


def referral_action(user, case, referral) -> Action:
    """May ``user`` record the outcome of this ``referral`` now?"""
    return by_verb(
        safeguarding_actions(user, case, open_referral=referral.is_open, current_child=False)
    )["record_outcome"]


def child_actions(user, case, *, current: bool) -> dict[str, Action]:
    """May ``user`` change or end the record of a child (``current``: not changed or ended)?"""
    verbs = by_verb(safeguarding_actions(user, case, open_referral=False, current_child=current))
    return {verb: verbs[verb] for verb in ("change_child", "end_child")}


def require(action: Action, **details) -> Action:
    """The service's guard for one referral or child (as ``cases.extensions.require_action``
    is for the case): raise the action's error with the plain-words reason when refused."""
    if not action.allowed:
        raise (action.error or ActionNotAllowed)(
            action.reason, details=details if action.error else {"action": action.key}
        )
    return action
