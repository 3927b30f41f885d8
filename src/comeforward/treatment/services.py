"""Writes about treatment and breach: one transaction and one audit record each.

Research: domain-rules.md §4.8 (treatment as a condition; breach → prosecution for the
original offence) and ARCHITECTURE.md §4 (CAUTIONED → IN_TREATMENT → COMPLETED; BREACHED →
REFERRED_FOR_PROSECUTION once a supervisor confirms). Case states only ever move through
``cases.services.case_transition``, after the fact that unlocks the move is recorded.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.domain.states import CaseState
from comeforward.cases.extensions import require_action
from comeforward.cases.services import case_partner_grant, case_transition
from comeforward.decisions.selectors import breach_route_for_case, conditions_past_deadline
from comeforward.roles import OrganisationType, Role

from . import domain, permissions
from .domain import Attendance, BreachDecision, BreachSource, Outcome
from .errors import (
    AlreadyReferred,
    BreachReviewAlreadyOpen,
    BreachReviewClosed,
    InvalidSession,
    NoBreachRoute,
    NotATreatmentProvider,
    ReasonRequired,
    TreatmentFinished,
)
from .models import BreachReview, ProgressNote, TreatmentReferral, TreatmentSession

#: Case states the condition sweep looks at (a breach review can move them to BREACHED).
SWEPT_STATES = frozenset({CaseState.CAUTIONED, CaseState.IN_TREATMENT})

#: States from which a breach review moves the case to BREACHED.
BREACHABLE_STATES = frozenset({CaseState.CAUTIONED, CaseState.IN_TREATMENT})


class SupervisorRequired(ReasonRequired):
    code = "SUPERVISOR_REQUIRED"


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(actor, case, operation: str, scope: str, justification: str = "", **details) -> None:
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="case",
        subject_id=case.pk,
        subject_ref=case.reference,
        scope=scope,
        justification=justification,
        details=details,
    )


def _require(actor, case, key: str) -> None:
    """A user's action is checked against the one rule (``permissions``); the system's
    (``actor=None``: the condition sweep, a breach opened by missed sessions) is not."""
    if actor is not None:
        require_action(actor, case, key)


def breach_route_open(case) -> bool:
    """Can a breach of this case's disposal lead to prosecution (a conditional caution: CJA
    2003 s.24)? A simple caution, or no caution at all, has no breach route."""
    return breach_route_for_case(case) == "prosecute_original_offence"


def treatment_refer(
    *, actor, case, provider, programme: str, expected_sessions: int
) -> TreatmentReferral:
    """Refer the person to a treatment provider: the provider's treatment staff are given
    access to the case (a partner grant), and a cautioned case moves to IN_TREATMENT."""
    _require(actor, case, permissions.REFER)
    if provider.kind != OrganisationType.TREATMENT_PROVIDER:
        raise NotATreatmentProvider(
            f"{provider.name} is not a treatment provider", details={"provider": provider.code}
        )
    if not programme.strip() or expected_sessions < 1:
        raise InvalidSession(
            "Give the programme and at least one expected session",
            details={"fields": {"programme": "required", "expected_sessions": "at least 1"}},
        )
    with transaction.atomic():
        if TreatmentReferral.objects.filter(case=case).exists():
            raise AlreadyReferred(
                "This case has already been referred for treatment", details={"case": case.pk}
            )
        referral = TreatmentReferral.objects.create(
            case=case,
            provider=provider,
            programme=programme.strip(),
            expected_sessions=expected_sessions,
            referred_by=_user(actor),
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "treatment.referral",
            provider=provider.code,
            programme=referral.programme,
            expected_sessions=expected_sessions,
        )
        case_partner_grant(
            actor=actor, case=case, organisation=provider, role=Role.TREATMENT_PROVIDER
        )
        if case.state == CaseState.CAUTIONED:
            case_transition(
                actor=actor, case=case, to_state=CaseState.IN_TREATMENT, reason="Referred"
            )
    return referral


def _open_referral(referral: TreatmentReferral) -> None:
    if referral.outcome:
        raise TreatmentFinished(
            "Treatment has already ended for this case", details={"outcome": referral.outcome}
        )


def treatment_session_record(
    *,
    actor,
    referral: TreatmentReferral,
    date: dt.date,
    attendance: str,
    missed_reason: str = "",
    threshold: int = domain.MISSED_SESSIONS_FOR_BREACH_REVIEW,
) -> TreatmentSession:
    """Record attendance at one session. A missed session needs the reason given; when the
    missed sessions reach ``threshold`` [M] and no review is open, a breach review opens."""
    _open_referral(referral)
    _require(actor, referral.case, permissions.RECORD_SESSION)
    problems = {}
    if attendance not in Attendance.values:
        problems["attendance"] = "Choose attended, missed or cancelled"
    if attendance == Attendance.MISSED and not missed_reason.strip():
        problems["missed_reason"] = "Give the reason the session was missed (or 'none given')"
    if date > timezone.localdate():
        problems["date"] = "The session date cannot be in the future"
    if problems:
        raise InvalidSession(
            "The session cannot be recorded: " + "; ".join(problems.values()),
            details={"fields": problems},
        )
    case = referral.case
    with transaction.atomic():
        session = TreatmentSession.objects.create(
            referral=referral,
            date=date,
            attendance=attendance,
            missed_reason=missed_reason.strip(),
            recorded_by=_user(actor),
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "treatment.session",
            date=date.isoformat(),
            attendance=attendance,
        )
        attendances = referral.sessions.values_list("attendance", flat=True)
        if (
            attendance == Attendance.MISSED
            and domain.should_open_review(attendances, threshold)
            and not BreachReview.objects.filter(case=case, decision="").exists()
            and breach_route_open(case)
        ):
            missed = domain.missed_without_excuse(attendances)
            breach_review_open(
                actor=actor,
                case=case,
                source=BreachSource.MISSED_SESSIONS,
                reason=f"{missed} treatment sessions missed (scheme threshold {threshold})",
            )
    return session


def treatment_note_add(*, actor, referral: TreatmentReferral, text: str) -> ProgressNote:
    """A progress note by the provider (special-category, encrypted at rest)."""
    _require(actor, referral.case, permissions.ADD_NOTE)
    if not text.strip():
        raise ReasonRequired("Write the note first", details={"fields": {"text": "required"}})
    with transaction.atomic():
        note = ProgressNote.objects.create(
            referral=referral, text=text.strip(), author=_user(actor)
        )
        _audit(actor, referral.case, Operation.COLLECT, "treatment.note", note=note.pk)
    return note


def treatment_outcome_record(
    *, actor, referral: TreatmentReferral, outcome: str, reason: str = ""
) -> TreatmentReferral:
    """Completion moves the case to COMPLETED; non-completion opens a breach review."""
    _open_referral(referral)
    _require(actor, referral.case, permissions.RECORD_OUTCOME)
    if outcome not in Outcome.values:
        raise InvalidSession(
            "Choose completed or not completed", details={"fields": {"outcome": "required"}}
        )
    if outcome == Outcome.NOT_COMPLETED and not reason.strip():
        raise ReasonRequired(
            "Give the reason treatment was not completed",
            details={"fields": {"reason": "required"}},
        )
    case = referral.case
    with transaction.atomic():
        referral.outcome = outcome
        referral.outcome_reason = reason.strip()
        referral.outcome_at = timezone.now()
        referral.save(update_fields=["outcome", "outcome_reason", "outcome_at"])
        _audit(actor, case, Operation.ALTER, "treatment.outcome", outcome=outcome)
        case.refresh_from_db(fields=["state"])
        if outcome == Outcome.COMPLETED and case.state == CaseState.IN_TREATMENT:
            case_transition(
                actor=actor, case=case, to_state=CaseState.COMPLETED, reason="Treatment completed"
            )
        elif (
            outcome == Outcome.NOT_COMPLETED
            and not BreachReview.objects.filter(case=case, decision="").exists()
            and breach_route_open(case)
        ):
            breach_review_open(
                actor=actor,
                case=case,
                source=BreachSource.NON_COMPLETION,
                reason=f"Treatment not completed: {reason.strip()}",
            )
    return referral


def breach_review_open(*, actor, case, source: str, reason: str, condition=None) -> BreachReview:
    """Open a breach review; a cautioned or in-treatment case moves to BREACHED (review).
    ``condition``: the caution condition whose deadline passed unmet, if that is the ground."""
    if not reason.strip():
        raise ReasonRequired(
            "Give the reason for the breach review", details={"fields": {"reason": "required"}}
        )
    if source not in BreachSource.values:
        raise InvalidSession("Unknown breach source", details={"fields": {"source": source}})
    if not breach_route_open(case):
        raise NoBreachRoute(
            "This disposal has no breach route: a simple caution has no conditions, so it "
            "cannot be breached into a prosecution",
            details={"case": case.pk, "breach_route": breach_route_for_case(case)},
        )
    if source == BreachSource.MANUAL:
        # A user opening one by hand; the others follow from a recorded fact (missed
        # sessions, non-completion, a condition's deadline) and are not a user's action.
        _require(actor, case, permissions.OPEN_BREACH_REVIEW)
    with transaction.atomic():
        if BreachReview.objects.filter(case=case, decision="").exists():
            raise BreachReviewAlreadyOpen(
                "A breach review is already open for this case", details={"case": case.pk}
            )
        review = BreachReview.objects.create(
            case=case,
            source=source,
            reason=reason.strip(),
            opened_by=_user(actor),
            condition=condition,
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "treatment.breach_review",
            source=source,
            **({"condition": condition.pk} if condition is not None else {}),
        )
        case.refresh_from_db(fields=["state"])
        if case.state in BREACHABLE_STATES:
            case_transition(
                actor=actor,
                case=case,
                to_state=CaseState.BREACHED,
                reason=f"Breach review opened: {BreachSource(source).label}",
            )
    return review


def breach_review_decide(*, actor, review: BreachReview, confirmed: bool, reason: str):
    """A supervisor confirms the breach (the case goes to prosecution for the original
    offence, domain-rules §4.8) or rejects it (the case goes back to treatment)."""
    if getattr(actor, "role", None) != Role.SUPERVISOR:
        raise SupervisorRequired("Only a supervisor can decide a breach review")
    if review.decision:
        raise BreachReviewClosed(
            "This breach review has already been decided", details={"decision": review.decision}
        )
    _require(actor, review.case, permissions.DECIDE_BREACH_REVIEW)
    if not reason.strip():
        raise ReasonRequired(
            "Give the reason for the decision", details={"fields": {"reason": "required"}}
        )
    case = review.case
    with transaction.atomic():
        review.decision = BreachDecision.CONFIRMED if confirmed else BreachDecision.REJECTED
        review.decision_reason = reason.strip()
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        _audit(actor, case, Operation.ALTER, "treatment.breach_decision", decision=review.decision)
        case.refresh_from_db(fields=["state"])
        if case.state == CaseState.BREACHED:
            if confirmed:
                case_transition(
                    actor=actor,
                    case=case,
                    to_state=CaseState.REFERRED_FOR_PROSECUTION,
                    reason="Breach confirmed by a supervisor (see the breach review)",
                )
            elif TreatmentReferral.objects.filter(case=case, outcome="").exists():
                case_transition(
                    actor=actor,
                    case=case,
                    to_state=CaseState.IN_TREATMENT,
                    reason="Breach not confirmed by a supervisor (see the breach review)",
                )
    return review


def treatment_condition_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily sweep of caution conditions (domain-rules §4.8 "Conditions and breach"): for
    every "attend treatment" condition whose deadline passed unmet on a cautioned or
    in-treatment case, open a breach review (source CONDITION_DEADLINE).

    Set-based reads: one query for the conditions past their deadline (with caution and
    case), one for first attendance and completion per case, one for existing reviews; then
    one ``breach_review_open`` per breach found (each moves its case, so each is its own
    transaction). Idempotent: a condition has at most one review (unique constraint), and a
    case with an open review is left until that review is decided."""
    today = today or timezone.localdate()
    conditions = conditions_past_deadline(
        before=today, kinds=domain.SWEPT_CONDITION_KINDS, case_states=SWEPT_STATES
    )
    case_ids = {c.caution.case_id for c in conditions}
    first_attended = dict(
        TreatmentSession.objects.filter(
            referral__case_id__in=case_ids, attendance=Attendance.ATTENDED
        )
        .values("referral__case_id")
        .annotate(first=Min("date"))
        .values_list("referral__case_id", "first")
    )
    completed_on = {
        case_id: timezone.localdate(at)
        for case_id, at in TreatmentReferral.objects.filter(
            case_id__in=case_ids, outcome=Outcome.COMPLETED, outcome_at__isnull=False
        ).values_list("case_id", "outcome_at")
    }
    reviews = BreachReview.objects.filter(case_id__in=case_ids)
    reviewed = set(reviews.filter(condition__isnull=False).values_list("condition_id", flat=True))
    busy = set(reviews.filter(decision="").values_list("case_id", flat=True))
    opened = 0
    for condition in conditions:
        case = condition.caution.case
        if condition.pk in reviewed or case.pk in busy:
            continue
        if not domain.condition_breached(
            kind=condition.kind,
            deadline=condition.deadline,
            today=today,
            first_attended=first_attended.get(case.pk),
            completed_on=completed_on.get(case.pk),
        ):
            continue
        breach_review_open(
            actor=None,
            case=case,
            source=BreachSource.CONDITION_DEADLINE,
            reason=f"Caution condition not met by {condition.deadline.day} "
            f"{condition.deadline:%B %Y}: "
            f"{condition.description}",
            condition=condition,
        )
        busy.add(case.pk)
        opened += 1
    audit_record(
        actor=None,
        operation=Operation.ALTER,
        subject_type="treatment",
        scope="treatment.condition_sweep",
        details={
            "today": today.isoformat(),
            "conditions_past_deadline": len(conditions),
            "breach_reviews_opened": opened,
        },
    )
    return {"conditions_past_deadline": len(conditions), "breach_reviews_opened": opened}
