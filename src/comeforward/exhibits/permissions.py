"""Who may do what with a case's exhibits — **the one rule** (issue 19.2; docs/extensions.md).

Pure over what it is given: the user, the case, and whether there is an exhibit still held
(not returned or destroyed), an examination, and a new-material export — for the case as a
whole (its extension's ``allowed_actions``) or for the one exhibit or examination a page is
about (:func:`for_exhibit`, :func:`for_examination`). The case page's and the exhibit page's
links, the views and the services read it. A refusal names the error the service has always
raised (``EXHIBIT_DISPOSED``, ``EXAMINER_REQUIRED``).
"""

from __future__ import annotations

from comeforward.cases.extensions import Action, ActionNotAllowed, allow, deny

from .access import DISCLOSERS, EXAMINERS, RECORDERS
from .errors import ExaminerRequired, ExhibitDisposed

RECORD = "exhibits.record"
CUSTODY = "exhibits.custody"
IMPORT = "exhibits.examination_import"  # also the API's triage import (api/endpoints/exhibits)
TRIAGE_JOB = "exhibits.triage_job"
EXAMINE = "exhibits.examine"  # grading, sample review, findings of an examination
DISCLOSE = "exhibits.disclose_new_material"

LABELS = {
    RECORD: "Record an exhibit",
    CUSTODY: "Record a custody entry",
    IMPORT: "Import a triage result",
    TRIAGE_JOB: "Run triage on the worker",
    EXAMINE: "Record grading, a sample review or findings",
    DISCLOSE: "Download the new-material export",
}


def exhibit_actions(
    user, case, *, held_exhibit: bool, examination: bool, new_material: bool
) -> list[Action]:
    """Every exhibits action on ``case`` for ``user`` now. ``held_exhibit``: an exhibit not
    returned or destroyed (the one a page is about, or any on the case); ``examination``: an
    imported examination; ``new_material``: a stored new-material export."""
    role = getattr(user, "role", None)
    disposed = (
        "This exhibit has been returned or destroyed: nothing more can be recorded against it"
    )
    actions = {}
    if role not in RECORDERS:
        reason = "Only an intake officer or an investigator records exhibits and their custody"
        actions[RECORD] = deny(RECORD, LABELS[RECORD], reason)
        actions[CUSTODY] = deny(CUSTODY, LABELS[CUSTODY], reason)
    else:
        actions[RECORD] = allow(RECORD, LABELS[RECORD])
        actions[CUSTODY] = (
            allow(CUSTODY, LABELS[CUSTODY])
            if held_exhibit
            else deny(CUSTODY, LABELS[CUSTODY], disposed, error=ExhibitDisposed)
        )
    for key in (IMPORT, TRIAGE_JOB):
        if role not in EXAMINERS:
            actions[key] = deny(key, LABELS[key], "Only a forensic examiner may do this")
        elif not held_exhibit:
            actions[key] = deny(key, LABELS[key], disposed, error=ExhibitDisposed)
        else:
            actions[key] = allow(key, LABELS[key])
    if role not in EXAMINERS:
        actions[EXAMINE] = deny(
            EXAMINE,
            LABELS[EXAMINE],
            "Only a forensic examiner may do this",
            error=ExaminerRequired,
            details={"role": role or ""},
        )
    elif not examination:
        actions[EXAMINE] = deny(EXAMINE, LABELS[EXAMINE], "No triage result has been imported")
    else:
        actions[EXAMINE] = allow(EXAMINE, LABELS[EXAMINE])
    if role not in DISCLOSERS:
        actions[DISCLOSE] = deny(
            DISCLOSE,
            LABELS[DISCLOSE],
            "Only a forensic examiner or a supervisor hands out the new-material export",
        )
    elif not new_material:
        actions[DISCLOSE] = deny(
            DISCLOSE, LABELS[DISCLOSE], "This examination has no new-material export"
        )
    else:
        actions[DISCLOSE] = allow(DISCLOSE, LABELS[DISCLOSE])
    return list(actions.values())


def by_verb(actions) -> dict[str, Action]:
    return {action.key.split(".", 1)[1]: action for action in actions}


def for_exhibit(user, case, exhibit, *, examined: bool = False) -> dict[str, Action]:
    """The rule for one exhibit (held, or returned/destroyed: ``exhibit.disposal``)."""
    return by_verb(
        exhibit_actions(
            user,
            case,
            held_exhibit=not exhibit.disposal,
            examination=examined,
            new_material=False,
        )
    )


def for_examination(user, case, *, new_material: bool) -> dict[str, Action]:
    """The rule for one imported examination (and whether it has a new-material export)."""
    return by_verb(
        exhibit_actions(user, case, held_exhibit=False, examination=True, new_material=new_material)
    )


def require(action: Action, **details) -> Action:
    """The service's guard for one exhibit or examination (as
    ``cases.extensions.require_action`` is for the case): raise the action's error with the
    plain-words reason when the rule refuses it."""
    if not action.allowed:
        raise (action.error or ActionNotAllowed)(
            action.reason,
            details=dict(action.details or details) if action.error else {"action": action.key},
        )
    return action
