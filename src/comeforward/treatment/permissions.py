"""Who may do what on a case's treatment and breach reviews — **the one rule** (issue 19.2;
docs/extensions.md). Pure over the objects given (the user, the case, its referral, its breach
reviews and whether its disposal has a breach route); the panel's links, the views and the
services (``cases.extensions.require_action``) read it. A refusal names the error the service
has always raised.

The services called by the system (the daily condition sweep, a breach opened by missed
sessions: ``actor=None``) are not a user's action and are not checked here.
"""

from __future__ import annotations

from comeforward.cases.extensions import Action, allow, deny
from comeforward.roles import Role

from .errors import AlreadyReferred, BreachReviewAlreadyOpen, NoBreachRoute, TreatmentFinished

POLICE_ACTORS = frozenset({Role.OFFENDER_MANAGER, Role.INVESTIGATOR, Role.SUPERVISOR})

REFER = "treatment.refer"
RECORD_SESSION = "treatment.record_session"
ADD_NOTE = "treatment.add_note"
RECORD_OUTCOME = "treatment.record_outcome"
OPEN_BREACH_REVIEW = "treatment.open_breach_review"
DECIDE_BREACH_REVIEW = "treatment.decide_breach_review"


def _provider_action(key, label, *, is_provider, referral) -> Action:
    if not is_provider:
        return deny(key, label, "Only the treatment provider the case is referred to may do this")
    if referral.outcome:
        return deny(
            key,
            label,
            "Treatment has already ended for this case",
            error=TreatmentFinished,
            details={"outcome": referral.outcome},
        )
    return allow(key, label)


def treatment_actions(user, case, *, referral, reviews, breach_route: bool) -> list[Action]:
    role = getattr(user, "role", None)
    police = role in POLICE_ACTORS
    is_provider = (
        referral is not None
        and role == Role.TREATMENT_PROVIDER
        and getattr(user, "organisation_id", None) == referral.provider_id
    )
    open_review = any(not r.decision for r in reviews)
    if not police:
        refer = deny(REFER, "Refer for treatment", "Only the police refer for treatment")
    elif referral is not None:
        refer = deny(
            REFER,
            "Refer for treatment",
            "This case has already been referred for treatment",
            error=AlreadyReferred,
            details={"case": case.pk},
        )
    else:
        refer = allow(REFER, "Refer for treatment")
    if not police:
        breach = deny(OPEN_BREACH_REVIEW, "Open a breach review", "Only the police open one")
    elif not breach_route:
        breach = deny(
            OPEN_BREACH_REVIEW,
            "Open a breach review",
            "No breach route: a simple caution has no conditions, so it cannot be breached "
            "into a prosecution",
            error=NoBreachRoute,
        )
    elif open_review:
        breach = deny(
            OPEN_BREACH_REVIEW,
            "Open a breach review",
            "A breach review is already open on this case",
            error=BreachReviewAlreadyOpen,
        )
    else:
        breach = allow(OPEN_BREACH_REVIEW, "Open a breach review")
    if role != Role.SUPERVISOR:
        decide = deny(
            DECIDE_BREACH_REVIEW,
            "Decide the breach review",
            "Only a supervisor can decide a breach review",
        )
    elif not open_review:
        decide = deny(DECIDE_BREACH_REVIEW, "Decide the breach review", "No breach review is open")
    else:
        decide = allow(DECIDE_BREACH_REVIEW, "Decide the breach review")
    provider_actions = (
        [
            _provider_action(key, label, is_provider=is_provider, referral=referral)
            for key, label in (
                (RECORD_SESSION, "Record a session"),
                (ADD_NOTE, "Add a progress note"),
                (RECORD_OUTCOME, "Record completion or non-completion"),
            )
        ]
        if referral is not None
        else [
            deny(key, label, "The case has not been referred for treatment")
            for key, label in (
                (RECORD_SESSION, "Record a session"),
                (ADD_NOTE, "Add a progress note"),
                (RECORD_OUTCOME, "Record completion or non-completion"),
            )
        ]
    )
    return [refer, *provider_actions, breach, decide]
