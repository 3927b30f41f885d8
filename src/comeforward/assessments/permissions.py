"""Who may do what on a case's independent assessment — **the one rule** (issue 19.2;
docs/extensions.md). Pure over the objects given (the user, the case, its assessment, the
user's conflict declaration and whether the narrative is shared); the panel's links, the views
(``cases.case_pages.case_action``) and the services (``cases.extensions.require_action``) read
it. A refusal names the error the service has always raised.
"""

from __future__ import annotations

from comeforward.cases.extensions import Action, allow, deny
from comeforward.roles import OrganisationType, Role

from .errors import (
    AssessmentAlreadyComplete,
    AssessmentNotAllowed,
    ConflictNotDeclared,
    ConflictOfInterest,
)

REFER = "assessments.refer"
DECLARE_CONFLICT = "assessments.declare_conflict"
COMPLETE = "assessments.complete"
SHARE_NARRATIVE = "assessments.share_narrative"

#: Who refers a case for independent assessment.
REFERRERS = frozenset({Role.SUPERVISOR, Role.INVESTIGATOR})


def is_assessor(user) -> bool:
    """An independent assessor of an assessment service (never anyone else, whatever the role
    says about an organisation of another kind)."""
    organisation = getattr(user, "organisation", None)
    return (
        getattr(user, "role", None) == Role.INDEPENDENT_ASSESSOR
        and getattr(organisation, "kind", None) == OrganisationType.ASSESSMENT_SERVICE
    )


def _already_complete(key: str, label: str) -> Action:
    return deny(
        key,
        label,
        "The assessment of this case is already complete",
        error=AssessmentAlreadyComplete,
    )


def assessment_actions(
    user, case, *, assessment, declaration, narrative_shared: bool
) -> list[Action]:
    """Every assessment action on ``case`` for ``user`` now. ``assessment``: the case's
    assessment (or ``None``); ``declaration``: *this user's* conflict declaration on the case
    (or ``None``); ``narrative_shared``: whether the clinical narrative is shared already."""
    role = getattr(user, "role", None)
    assessor = is_assessor(user)
    not_assessor = "Only an independent assessor of an assessment service may do this"

    label = "Refer for independent assessment"
    if role not in REFERRERS:
        refer = deny(
            REFER, label, "Only an investigator or a supervisor refers a case for assessment"
        )
    elif assessment is not None:
        refer = _already_complete(REFER, label)
    else:
        refer = allow(REFER, label)

    label = "Declare any conflict of interest"
    if not assessor:
        declare = deny(DECLARE_CONFLICT, label, not_assessor, error=AssessmentNotAllowed)
    elif assessment is not None:
        declare = _already_complete(DECLARE_CONFLICT, label)
    elif declaration is not None:
        declare = deny(
            DECLARE_CONFLICT, label, "You have already declared any conflict of interest"
        )
    else:
        declare = allow(DECLARE_CONFLICT, label)

    label = "Complete the assessment"
    if not assessor:
        complete = deny(COMPLETE, label, not_assessor, error=AssessmentNotAllowed)
    elif assessment is not None:
        complete = _already_complete(COMPLETE, label)
    elif declaration is None:
        complete = deny(
            COMPLETE, label, "Declare any conflict of interest first", error=ConflictNotDeclared
        )
    elif declaration.has_conflict:
        complete = deny(
            COMPLETE,
            label,
            "You declared a conflict of interest: another assessor must complete this assessment",
            error=ConflictOfInterest,
            details={"declaration": declaration.pk},
        )
    else:
        complete = allow(COMPLETE, label)

    label = "Share the clinical narrative with the case team"
    if assessment is None or assessment.assessor_id != getattr(user, "pk", None):
        share = deny(
            SHARE_NARRATIVE,
            label,
            "Only the assessor who completed the assessment may share it",
            error=AssessmentNotAllowed,
        )
    elif narrative_shared:
        share = deny(
            SHARE_NARRATIVE, label, "The clinical narrative is already shared with the case team"
        )
    else:
        share = allow(SHARE_NARRATIVE, label)
    return [refer, declare, complete, share]
