"""Writes: recommendation, decision and approval, caution, outcome code, prosecution file.

Each service is one transaction with one explicit audit record (DPA 2018 s.62). Research:
domain-rules.md §2.1-§2.3, §2.6, §4.7, §4.8; CONVENTIONS.md "Decisions leave a record".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from comeforward.accounts.roles import Role
from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.domain.states import CaseState
from comeforward.cases.services import case_transition
from comeforward.law import Disposal, DisposalType, Facts, Offence, evaluate
from comeforward.policy import PolicyFacts, load_policy
from comeforward.policy import evaluate as policy_evaluate
from comeforward.register.errors import RegisterRecordExists
from comeforward.register.services import register_open_for_caution

from .domain import (
    CONDITION_KINDS,
    OUTCOME_CODES,
    CautionKind,
    DecisionOutcome,
    DecisionStatus,
    ProsecutionResult,
    approval_required,
    departs_from_recommendation,
)
from .errors import (
    ApprovalNotAllowed,
    CautionAlreadyRecorded,
    DateOfBirthMissing,
    DecisionAlreadyMade,
    DecisionNotAllowed,
    InvalidConditions,
    OutcomeAlreadyRecorded,
    ProsecutionFileAlreadyRecorded,
    RecommendationMissing,
    SameSupervisor,
    UnknownOutcomeCode,
)
from .models import (
    CaseOutcome,
    Caution,
    CautionCondition,
    Decision,
    ProsecutionReferral,
    Recommendation,
)
from .policy_facts import combine_policy_facts, gather_policy_reports


def _audit(actor, case, operation: str, scope: str, details: dict[str, Any], **extra) -> None:
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="case",
        subject_id=case.pk,
        subject_ref=case.reference,
        scope=scope,
        details=details,
        **extra,
    )


def recommendation_create(
    *, actor, case, confirmed: dict[str, Any], policy_version: str | None = None
) -> Recommendation:
    """Evaluate the policy on the facts the apps know plus those the supervisor confirms.

    Where sources disagree the most restrictive answer is the one evaluated (issue 12.3:
    ``policy_facts.combine_policy_facts``); the supervisor's answer is one source among the
    others, never overridden by a less restrictive record. ``None`` stays unknown. Every
    source's answer is kept in ``fact_sources`` and cited on the recommendation.
    Audited as a *combine*: facts from several records are brought together.
    """
    combined = combine_policy_facts(gather_policy_reports(case), confirmed)
    facts = PolicyFacts.from_dict({name: fact.value for name, fact in combined.items()})
    policy = load_policy(policy_version) if policy_version else load_policy()
    result = policy_evaluate(facts, policy)
    sources = {name: fact.as_json() for name, fact in combined.items()}
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            case=case,
            policy_name=result.policy_name,
            policy_version=result.policy_version,
            outcome=result.outcome.value,
            fired=result.fired,
            unknown=result.unknown,
            result=result.as_dict(),
            facts=facts.as_dict(),
            fact_sources=sources,
            created_by=actor,
        )
        _audit(
            actor,
            case,
            Operation.COMBINE,
            "decision.recommendation",
            {
                "recommendation": recommendation.pk,
                "policy_version": result.policy_version,
                "outcome": result.outcome.value,
                "fired": result.fired,
                "sources": sorted({s["source"] for items in sources.values() for s in items}),
            },
        )
    return recommendation


def _require_supervisor(actor, error) -> None:
    if getattr(actor, "role", None) != Role.SUPERVISOR:
        raise error("Only a supervisor may do this", details={"role": getattr(actor, "role", "")})


def decision_record(*, actor, case, outcome: str, reason_code: str, reason_text: str) -> Decision:
    """A supervisor's decision on the latest recommendation. Final at once unless it is a
    diversion or departs from the recommendation: then a second supervisor must approve."""
    _require_supervisor(actor, DecisionNotAllowed)
    if case.state != CaseState.DECISION:
        raise DecisionNotAllowed(
            "A decision can be made only when the case is at the decision stage",
            details={"state": case.state},
        )
    outcome = DecisionOutcome(outcome)
    if not reason_text.strip():
        raise DecisionNotAllowed("Give the reason for the decision", details={"field": "reason"})
    with transaction.atomic():
        recommendation = case.eligibility_recommendations.order_by("-created_at", "-pk").first()
        if recommendation is None:
            raise RecommendationMissing("Evaluate the eligibility policy before deciding")
        if case.decisions.exclude(status=DecisionStatus.REFUSED).exists():
            raise DecisionAlreadyMade("This case already has a decision")
        needs_approval = approval_required(outcome, recommendation.outcome)
        decision = Decision.objects.create(
            case=case,
            recommendation=recommendation,
            outcome=outcome,
            reason_code=reason_code,
            reason_text=reason_text.strip(),
            departs_from_recommendation=departs_from_recommendation(
                outcome, recommendation.outcome
            ),
            approval_required=needs_approval,
            status=DecisionStatus.PENDING_APPROVAL if needs_approval else DecisionStatus.FINAL,
            decided_by=actor,
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "decision.decide",
            {
                "decision": decision.pk,
                "outcome": outcome.value,
                "recommended": recommendation.outcome,
                "departs": decision.departs_from_recommendation,
                "status": decision.status,
            },
        )
        if decision.status == DecisionStatus.FINAL:
            _after_final(actor, decision)
    return decision


def _after_final(actor, decision: Decision) -> None:
    """A final decision of no further action closes the investigation stage (workflow)."""
    if decision.outcome == DecisionOutcome.NFA:
        case_transition(
            actor=actor,
            case=decision.case,
            to_state=CaseState.NO_FURTHER_ACTION,
            reason=f"Decision: no further action — {decision.reason_text}",
        )


def decision_approve(*, actor, decision: Decision, approve: bool, note: str = "") -> Decision:
    """A second supervisor (never the one who decided) approves or refuses the decision."""
    _require_supervisor(actor, ApprovalNotAllowed)
    if decision.status != DecisionStatus.PENDING_APPROVAL:
        raise ApprovalNotAllowed(
            "This decision is not awaiting approval", details={"status": decision.status}
        )
    if decision.decided_by_id == actor.pk:
        raise SameSupervisor("A second supervisor must approve this decision, not its maker")
    if not approve and not note.strip():
        raise ApprovalNotAllowed("Give the reason for refusing", details={"field": "note"})
    with transaction.atomic():
        decision.status = DecisionStatus.FINAL if approve else DecisionStatus.REFUSED
        decision.approved_by = actor
        decision.approved_at = timezone.now()
        decision.approval_note = note.strip()
        decision.save(update_fields=["status", "approved_by", "approved_at", "approval_note"])
        _audit(
            actor,
            decision.case,
            Operation.ALTER,
            "decision.approval",
            {"decision": decision.pk, "approved": approve, "outcome": decision.outcome},
        )
        if approve:
            _after_final(actor, decision)
    return decision


def _law_obligation(case, *, kind: str, offences: list[str], offence_date, depicted, on):
    """Notification consequences of the caution (SOA 2003 ss.80-83 via ``comeforward.law``):
    evaluated for each offence; the first notifiable one (if any) is kept."""
    results = []
    for code in offences:
        obligation = evaluate(
            Facts(
                offence=Offence(code),
                offence_date=offence_date,
                offender_dob=case.person.date_of_birth,
                youngest_depicted_age=depicted,
                disposal=Disposal(DisposalType(kind), on),
            )
        )
        results.append((code, obligation))
    for code, obligation in results:
        if obligation.notifiable:
            return code, obligation
    return results[0]


def _period_label(period) -> str:
    if period is None:
        return ""
    if period.indefinite:
        return "Indefinite"
    years, months = divmod(period.total_months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)


def caution_record(
    *,
    actor,
    case,
    kind: str,
    offences: list[str],
    offence_date: dt.date,
    youngest_depicted_age: int | None,
    caution_date: dt.date,
    conditions: list[dict[str, Any]],
) -> Caution:
    """Record the caution given (Outcome 3), compute the notification requirements and move
    the case to CAUTIONED. A simple caution has no conditions; a conditional caution has at
    least one (domain-rules.md §2.2, §2.3, §2.6, §4.8).

    When ``law.evaluate`` says the person is notifiable (SOA 2003 s.80(1)(d), Sch 3), the
    register record is opened in the same transaction (``register_open_for_caution``: the
    relevant date is the caution date, s.82(6)). When it cannot decide (the youngest depicted
    age is not recorded) or says not notifiable, no record is opened and the caution keeps
    ``notifiable`` as ``None`` / ``False`` with the missing facts, which the register panel
    shows. A register record already entered by hand for the case is left as it is."""
    kind = CautionKind(kind)
    if case.person.date_of_birth is None:
        raise DateOfBirthMissing(
            "Record the person's date of birth before recording the caution: the notification "
            "requirements depend on it",
            details={"field": "date_of_birth"},
        )
    if not offences:
        raise InvalidConditions("Record at least one offence", details={"field": "offences"})
    if kind == CautionKind.SIMPLE and conditions:
        raise InvalidConditions("A simple caution has no conditions")
    if kind == CautionKind.CONDITIONAL and not conditions:
        raise InvalidConditions("A conditional caution needs at least one condition")
    for condition in conditions:
        if condition["kind"] not in CONDITION_KINDS or not condition["description"].strip():
            raise InvalidConditions("Each condition needs a kind and a description")
        deadline = condition.get("deadline")
        if deadline is not None and deadline < caution_date:
            raise InvalidConditions(
                "A condition's deadline cannot be before the caution",
                details={"deadline": deadline.isoformat()},
            )
    if Caution.objects.filter(case=case).exists():
        raise CautionAlreadyRecorded("A caution is already recorded on this case")
    decision = (
        case.decisions.filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.DIVERT)
        .order_by("-decided_at")
        .first()
    )
    code, obligation = _law_obligation(
        case,
        kind=kind,
        offences=offences,
        offence_date=offence_date,
        depicted=youngest_depicted_age,
        on=caution_date,
    )
    with transaction.atomic():
        # The transition checks the approved decision to divert (workflow guard).
        case_transition(
            actor=actor,
            case=case,
            to_state=CaseState.CAUTIONED,
            reason=f"{kind.value.replace('_', ' ').capitalize()} given on "
            f"{caution_date.isoformat()}",
        )
        caution = Caution.objects.create(
            case=case,
            decision=decision,
            kind=kind,
            offences=list(offences),
            offence_date=offence_date,
            youngest_depicted_age=youngest_depicted_age,
            caution_date=caution_date,
            administered_by=actor,
            notifiable=obligation.notifiable,
            notification_period=_period_label(obligation.period),
            notification_last_day=obligation.last_day,
            initial_notification_due=obligation.initial_notification_due,
            law_result={"offence": code, "missing": list(obligation.missing)},
        )
        for condition in conditions:
            CautionCondition.objects.create(
                caution=caution,
                kind=condition["kind"],
                description=condition["description"].strip(),
                deadline=condition.get("deadline"),
            )
        register_record = None
        if obligation.notifiable:
            try:
                register_record = register_open_for_caution(
                    actor=actor,
                    case=case,
                    caution_date=caution_date,
                    offence=code,
                    offence_date=offence_date,
                    offender_dob=case.person.date_of_birth,
                    youngest_depicted_age=youngest_depicted_age,
                    caution_type=kind.value,
                )
            except RegisterRecordExists:
                register_record = None  # entered by hand before: the officer's record stands
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "decision.caution",
            {
                "caution": caution.pk,
                "kind": kind.value,
                "offences": list(offences),
                "conditions": len(conditions),
                "notifiable": obligation.notifiable,
                "register_record": register_record.pk if register_record else None,
            },
        )
    return caution


def case_outcome_record(*, actor, case, code: str, note: str = "") -> CaseOutcome:
    """The Home Office outcome code for the case (domain-rules.md §2.1)."""
    if code not in OUTCOME_CODES:
        raise UnknownOutcomeCode(
            f"Unknown outcome code {code!r}", details={"known": list(OUTCOME_CODES)}
        )
    with transaction.atomic():
        if CaseOutcome.objects.filter(case=case).exists():
            raise OutcomeAlreadyRecorded("An outcome code is already recorded on this case")
        outcome = CaseOutcome.objects.create(
            case=case, code=code, note=note.strip(), recorded_by=actor
        )
        _audit(actor, case, Operation.COLLECT, "decision.outcome_code", {"code": code})
    return outcome


def prosecution_referral_record(
    *,
    actor,
    case,
    offences: list[str],
    evidence_summary: str,
    reasons: str,
    sent_to_cps_on: dt.date,
) -> ProsecutionReferral:
    """The file sent to the CPS; moves the case to REFERRED_FOR_PROSECUTION (the workflow
    checks an approved decision to prosecute, or a confirmed breach). Audited as a
    *disclose* to the CPS."""
    if not offences:
        raise InvalidConditions("Record at least one offence", details={"field": "offences"})
    with transaction.atomic():
        case.refresh_from_db(fields=["state"])
        if case.state != CaseState.REFERRED_FOR_PROSECUTION:
            case_transition(
                actor=actor,
                case=case,
                to_state=CaseState.REFERRED_FOR_PROSECUTION,
                reason=f"File sent to the CPS on {sent_to_cps_on.isoformat()}",
            )
        elif ProsecutionReferral.objects.filter(case=case).exists():
            raise ProsecutionFileAlreadyRecorded(
                "The prosecution file has already been recorded", details={"case": case.pk}
            )
        # else: a confirmed breach already referred the case (treatment.services.
        # breach_review_decide, domain-rules §4.8): the file is recorded without a move.
        referral = ProsecutionReferral.objects.create(
            case=case,
            offences=list(offences),
            evidence_summary=evidence_summary.strip(),
            reasons=reasons.strip(),
            sent_to_cps_on=sent_to_cps_on,
            recorded_by=actor,
        )
        _audit(
            actor,
            case,
            Operation.DISCLOSE,
            "decision.prosecution_referral",
            {"referral": referral.pk, "offences": list(offences)},
            justification="Case file sent to the Crown Prosecution Service for a charging decision",
        )
    return referral


def prosecution_result_record(
    *, actor, referral: ProsecutionReferral, result: str, result_date: dt.date, note: str = ""
) -> ProsecutionReferral:
    result = ProsecutionResult(result)
    with transaction.atomic():
        referral.result = result
        referral.result_date = result_date
        referral.result_note = note.strip()
        referral.save(update_fields=["result", "result_date", "result_note"])
        _audit(
            actor,
            referral.case,
            Operation.ALTER,
            "decision.prosecution_result",
            {"referral": referral.pk, "result": result.value},
        )
    return referral
