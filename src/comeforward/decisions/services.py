"""Writes: recommendation, decision and approval, caution, outcome code, prosecution file.

Each service is one transaction with one explicit audit record (DPA 2018 s.62). Research:
domain-rules.md §2.1-§2.3, §2.6, §4.7, §4.8; docs/code-habits.md "Decisions leave a record".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.domain.states import CaseState
from comeforward.cases.domain.workflow import fast_exit_targets
from comeforward.cases.extensions import require_action
from comeforward.cases.services import (
    case_lock,
    case_task_open,
    case_tasks_close,
    case_tasks_reconcile,
    case_transition,
)
from comeforward.law import Disposal, DisposalType, Facts, Offence, evaluate, period_text
from comeforward.law.errors import DateInFuture
from comeforward.policy import PolicyFacts, load_policy
from comeforward.policy import evaluate as policy_evaluate
from comeforward.policy.disposal import check_caution
from comeforward.register.domain import RecordFacts
from comeforward.register.errors import RegisterRecordExists
from comeforward.register.services import register_open_for_caution, register_record_recompute
from comeforward.roles import Role

from .domain import (
    CAUTION_LABELS,
    CONDITION_KINDS,
    DECISION_REASONS,
    FAST_EXIT_REASONS,
    FAST_EXIT_TARGETS,
    OUTCOME_CODES,
    CautionKind,
    CautionRequirements,
    DecisionOutcome,
    DecisionStatus,
    ProsecutionResult,
    SignatureMethod,
    approval_required,
    departs_from_recommendation,
    outcome_code_problem,
    signed_document_problem,
)
from .errors import (
    ApprovalNotAllowed,
    CautionAlreadyRecorded,
    CautionNotAllowed,
    CorrectionNotAllowed,
    DateOfBirthMissing,
    DecisionAlreadyMade,
    DecisionNotAllowed,
    FastExitNotAllowed,
    InvalidConditions,
    OutcomeAlreadyRecorded,
    OutcomeCodeInconsistent,
    ProsecutionFileAlreadyRecorded,
    RecommendationMissing,
    SameSupervisor,
    UnknownOutcomeCode,
)
from .models import (
    CaseOutcome,
    Caution,
    CautionCondition,
    Correction,
    Decision,
    ProsecutionReferral,
    Recommendation,
    SchemeExit,
)
from .permissions import (
    APPROVE,
    CAUTION,
    CORRECT_CAUTION,
    CORRECT_OUTCOME,
    DECIDE,
    LEAVE_SCHEME,
    PROSECUTION_RESULT,
    RECOMMEND,
    RECORD_OUTCOME,
    REFER,
)
from .policy_facts import combine_policy_facts, gather_policy_reports
from .prefill import admission_interview, treatment_required
from .selectors import disposal_rules


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
    require_action(actor, case, RECOMMEND)
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
    require_action(actor, case, DECIDE)
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
    """A final decision of no further action closes the investigation stage (workflow); any
    final decision completes the case's decision task (``cases.domain.sla``)."""
    if decision.outcome == DecisionOutcome.NFA:
        case_transition(
            actor=actor,
            case=decision.case,
            to_state=CaseState.NO_FURTHER_ACTION,
            reason=f"Decision: no further action ({DECISION_REASONS[decision.reason_code]})",
        )
    case_tasks_reconcile(actor=actor, case=decision.case)


def decision_approve(*, actor, decision: Decision, approve: bool, note: str = "") -> Decision:
    """A second supervisor (never the one who decided) approves or refuses the decision."""
    require_action(actor, decision.case, APPROVE)
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


def _law_result(code: str, obligation) -> dict[str, Any]:
    """What the law engine said, stored once with the caution (issue 19.5): the offence it was
    evaluated for, the facts still missing, and its whole answer (``Obligation.as_json``).
    The register record is opened from the same evaluation, never a second one."""
    return {
        "offence": code,
        "missing": list(obligation.missing),
        "evaluation": obligation.as_json(),
    }


def _caution_dates_problems(case, *, offence_date, caution_date, today) -> dict[str, str]:
    """Dates that cannot be right (issue 20.2): nothing in the future, the offence before the
    caution, the person born before the offence."""
    problems: dict[str, str] = {}
    if caution_date > today:
        problems["caution_date"] = "The date of the caution cannot be in the future"
    if offence_date > today:
        problems["offence_date"] = "The date of the offence cannot be in the future"
    elif offence_date > caution_date:
        problems["offence_date"] = "The offence must be on or before the date of the caution"
    dob = case.person.date_of_birth
    if dob is not None and offence_date <= dob:
        problems["offence_date"] = "The offence cannot be before the person's date of birth"
    return problems


def _refuse(code: str, message: str, fields: dict[str, str] | None = None, **details):
    raise CautionNotAllowed(message, code=code, details={"fields": fields or {}, **details})


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
    requirements: CautionRequirements | None = None,
) -> Caution:
    """Record the caution given (Outcome 3), compute the notification requirements and move
    the case to CAUTIONED (domain-rules.md §2.2, §2.3, §2.6, §4.8; docs/disposals.md).

    The disposal must be available under the policy's ``[disposals]`` rules; when treatment
    is a requirement (the assessor chose a pathway) only a disposal with conditions that
    include the treatment condition will do (CJA 2003 ss.22–27). All five s.23 requirements
    are recorded: evidence sufficient to charge and the explanation and warning (confirmed by
    the officer), the authorised decision (the approved decision to divert), the admission
    (the interview record, held on or before the caution) and the signed document with
    consent (a scanned document's reference or an in-person e-signature).

    When ``law.evaluate`` says the person is notifiable (SOA 2003 s.80(1)(d), Sch 3), the
    register record is opened in the same transaction (``register_open_for_caution``: the
    relevant date is the caution date, s.82(6)). When it cannot decide (the youngest depicted
    age is not recorded) the record is opened as *to be determined* and a task asks a
    supervisor for the missing fact (issue 20.3); the caution keeps ``notifiable = None``.
    Not notifiable: no record. A register record already entered by hand stands."""
    if kind not in CAUTION_LABELS:
        _refuse("DISPOSAL_NOT_AVAILABLE", "Unknown type of caution", {"kind": "Choose a type"})
    kind = CautionKind(kind)
    requirements = requirements or CautionRequirements()
    if case.person.date_of_birth is None:
        raise DateOfBirthMissing(
            "Record the person's date of birth before recording the caution: the notification "
            "requirements depend on it",
            details={"field": "date_of_birth"},
        )
    if not offences:
        raise InvalidConditions("Record at least one offence", details={"field": "offences"})
    dates = _caution_dates_problems(
        case, offence_date=offence_date, caution_date=caution_date, today=timezone.localdate()
    )
    if dates:
        _refuse("CAUTION_DATE_INVALID", "; ".join(dates.values()), dates)
    for condition in conditions:
        if condition["kind"] not in CONDITION_KINDS or not condition["description"].strip():
            raise InvalidConditions("Each condition needs a kind and a description")
        deadline = condition.get("deadline")
        if deadline is not None and deadline < caution_date:
            raise InvalidConditions(
                "A condition's deadline cannot be before the caution",
                details={"deadline": deadline.isoformat()},
            )
    decision = (
        case.decisions.filter(status=DecisionStatus.FINAL, outcome=DecisionOutcome.DIVERT)
        .order_by("-decided_at")
        .first()
    )
    interview = admission_interview(case, on_or_before=caution_date)
    signed = signed_document_problem(requirements)
    rules = disposal_rules()
    problems = check_caution(
        rules,
        kind=kind.value,
        condition_kinds=[c["kind"] for c in conditions],
        treatment_required=treatment_required(case),
        requirements={
            "evidence": requirements.evidence_sufficient,
            "authorised_decision": decision is not None,
            "admission": interview is not None,
            "explanation_and_warning": requirements.explanation_given,
            "signed_consent": signed is None,
        },
    )
    if problems:
        first = problems[0]
        fields = {
            p.field: (signed if p.field == "signed_consent" and signed else p.message)
            for p in problems
            if p.field
        }
        if first.code in ("DISPOSAL_TAKES_NO_CONDITIONS", "DISPOSAL_NEEDS_CONDITIONS"):
            raise InvalidConditions(first.message, details={"fields": fields})
        _refuse(
            first.code,
            "; ".join(p.message for p in problems),
            fields,
            problems=[{"code": p.code, "message": p.message} for p in problems],
        )
    # Who may, and whether the case is ready: the one rule (permissions.py). After the s.23
    # check, which names every requirement missing (the authorised decision among them).
    require_action(actor, case, CAUTION)
    law_kind = rules.type(kind.value).law_disposal
    code, obligation = _law_obligation(
        case,
        kind=law_kind,
        offences=offences,
        offence_date=offence_date,
        depicted=youngest_depicted_age,
        on=caution_date,
    )
    with transaction.atomic():
        # One caution per case, checked inside the transaction with the case row locked: a
        # second officer recording at the same moment waits, then is refused (issue 19.4).
        case_lock(case)
        if Caution.objects.filter(case=case).exists():
            raise CautionAlreadyRecorded("A caution is already recorded on this case")
        # The transition checks the approved decision to divert (workflow guard).
        case_transition(
            actor=actor,
            case=case,
            to_state=CaseState.CAUTIONED,
            reason=f"{CAUTION_LABELS[kind]} given on {caution_date.isoformat()}",
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
            notification_period=period_text(obligation.period),
            notification_last_day=obligation.last_day,
            initial_notification_due=obligation.initial_notification_due,
            law_result=_law_result(code, obligation),
            evidence_sufficient=requirements.evidence_sufficient,
            authorised_by=(decision.approved_by or decision.decided_by) if decision else None,
            admission_interview=interview,
            explanation_given=requirements.explanation_given,
            consent_given=requirements.consent_given,
            signature_method=requirements.signature_method,
            signature_reference=requirements.signature_reference.strip(),
            signed_name=requirements.signed_name.strip(),
            signed_at=timezone.now()
            if requirements.signature_method == SignatureMethod.E_SIGNATURE
            else None,
        )
        for condition in conditions:
            CautionCondition.objects.create(
                caution=caution,
                kind=condition["kind"],
                description=condition["description"].strip(),
                deadline=condition.get("deadline"),
            )
        register_record = _register_for_caution(actor, caution, obligation, law_kind)
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
                "s23": {
                    "admission_interview": interview.pk if interview else None,
                    "authorised_by": caution.authorised_by_id,
                    "signature_method": requirements.signature_method,
                },
            },
        )
    return caution


REGISTER_TBD_TASK = "register_to_be_determined"


def _register_for_caution(actor, caution: Caution, obligation, law_kind: str):
    """Open the register record the caution calls for: notifiable → a record; not known
    (a fact missing) → a record *to be determined* and a supervisor's task; not notifiable →
    none. A record entered by hand before stands."""
    if obligation.notifiable is False:
        return None
    case = caution.case
    try:
        record = register_open_for_caution(
            actor=actor,
            case=case,
            caution_date=caution.caution_date,
            offence=caution.law_result["offence"],
            offence_date=caution.offence_date,
            offender_dob=case.person.date_of_birth,
            youngest_depicted_age=caution.youngest_depicted_age,
            caution_type=law_kind,
            obligation=obligation,
            **({"to_be_determined": True} if obligation.notifiable is None else {}),
        )
    except RegisterRecordExists:
        return None  # entered by hand before: the officer's record stands
    if obligation.notifiable is None:
        missing = ", ".join(m.replace("_", " ") for m in obligation.missing)
        case_task_open(
            actor=actor,
            case=case,
            kind=REGISTER_TBD_TASK,
            label=f"Register record to be determined: record the {missing}",
            role=Role.SUPERVISOR,
            due=obligation.consequences.initial_notification_due
            if obligation.consequences
            else caution.caution_date,
        )
    return record


def _caution_values(caution: Caution) -> dict[str, Any]:
    return {
        "offences": list(caution.offences),
        "offence_date": caution.offence_date.isoformat(),
        "youngest_depicted_age": caution.youngest_depicted_age,
        "caution_date": caution.caution_date.isoformat(),
    }


_UNSET: Any = object()


def caution_correct(
    *,
    actor,
    caution: Caution,
    reason: str,
    offences: list[str] | None = None,
    offence_date: dt.date | None = None,
    youngest_depicted_age: int | None = _UNSET,
    caution_date: dt.date | None = None,
) -> Correction:
    """A supervisor corrects a recorded caution (issue 20.2): the reason and the values
    before and after are kept; the notification requirements are recomputed with
    ``law.evaluate`` and the register record follows (``register_record_recompute``); a
    register record *to be determined* becomes a normal one once the missing fact is known,
    and its task is closed."""
    require_action(actor, caution.case, CORRECT_CAUTION)
    if not reason.strip():
        raise CorrectionNotAllowed(
            "Give the reason for the correction", details={"fields": {"reason": "required"}}
        )
    case = caution.case
    new = {
        "offences": list(offences) if offences is not None else list(caution.offences),
        "offence_date": offence_date or caution.offence_date,
        "youngest_depicted_age": caution.youngest_depicted_age
        if youngest_depicted_age is _UNSET
        else youngest_depicted_age,
        "caution_date": caution_date or caution.caution_date,
    }
    if not new["offences"]:
        raise InvalidConditions("Record at least one offence", details={"field": "offences"})
    dates = _caution_dates_problems(
        case,
        offence_date=new["offence_date"],
        caution_date=new["caution_date"],
        today=timezone.localdate(),
    )
    if dates:
        _refuse("CAUTION_DATE_INVALID", "; ".join(dates.values()), dates)
    before = _caution_values(caution)
    rule = disposal_rules().type(caution.kind)
    law_kind = rule.law_disposal if rule else caution.kind
    code, obligation = _law_obligation(
        case,
        kind=law_kind,
        offences=new["offences"],
        offence_date=new["offence_date"],
        depicted=new["youngest_depicted_age"],
        on=new["caution_date"],
    )
    with transaction.atomic():
        caution = Caution.objects.select_for_update().get(pk=caution.pk)
        for name, value in new.items():
            setattr(caution, name, value)
        caution.notifiable = obligation.notifiable
        caution.notification_period = period_text(obligation.period)
        caution.notification_last_day = obligation.last_day
        caution.initial_notification_due = obligation.initial_notification_due
        caution.law_result = _law_result(code, obligation)
        caution.save()
        after = _caution_values(caution)
        if after == before:
            raise CorrectionNotAllowed("Nothing was changed", details={"fields": {}})
        correction = Correction.objects.create(
            case=case,
            subject="caution",
            before=before,
            after=after,
            reason=reason.strip(),
            corrected_by=actor,
        )
        register = register_record_recompute(
            actor=actor,
            case=case,
            facts=RecordFacts(
                offence=code,
                offence_date=caution.offence_date,
                offender_dob=case.person.date_of_birth,
                youngest_depicted_age=caution.youngest_depicted_age,
                disposal_type=law_kind,
                relevant_date=caution.caution_date,
            ),
            obligation=obligation,
        )
        if register is None and obligation.notifiable is not False:
            register = _register_for_caution(actor, caution, obligation, law_kind)
        if obligation.notifiable is not None:
            case_tasks_close(actor=actor, case=case, kind=REGISTER_TBD_TASK)
        _audit(
            actor,
            case,
            Operation.ALTER,
            "decision.caution_correction",
            {
                "correction": correction.pk,
                "changed": sorted(k for k in after if after[k] != before[k]),
                "notifiable": obligation.notifiable,
                "register_record": register.pk if register else None,
            },
        )
    return correction


def _outcome_problem(case, code: str) -> str | None:
    charged = ProsecutionReferral.objects.filter(
        case=case, result=ProsecutionResult.CHARGED
    ).exists()
    return outcome_code_problem(
        code, caution_recorded=Caution.objects.filter(case=case).exists(), charged=charged
    )


def _check_outcome_code(case, code: str) -> None:
    if code not in OUTCOME_CODES:
        raise UnknownOutcomeCode(
            f"Unknown outcome code {code!r}", details={"known": list(OUTCOME_CODES)}
        )
    problem = _outcome_problem(case, code)
    if problem:
        raise OutcomeCodeInconsistent(problem, details={"fields": {"code": problem}, "code": code})


def case_outcome_record(*, actor, case, code: str, note: str = "") -> CaseOutcome:
    """The Home Office outcome code for the case (domain-rules.md §2.1), checked against the
    case (issue 20.2): 3 needs a caution, 1 a charge, any other neither."""
    _check_outcome_code(case, code)
    require_action(actor, case, RECORD_OUTCOME)
    with transaction.atomic():
        if CaseOutcome.objects.filter(case=case).exists():
            raise OutcomeAlreadyRecorded("An outcome code is already recorded on this case")
        outcome = CaseOutcome.objects.create(
            case=case, code=code, note=note.strip(), recorded_by=actor
        )
        _audit(actor, case, Operation.COLLECT, "decision.outcome_code", {"code": code})
    return outcome


def case_outcome_correct(*, actor, outcome: CaseOutcome, code: str, reason: str) -> Correction:
    """A supervisor corrects the outcome code (reason, before and after kept); the new code
    must fit the case like a new one."""
    require_action(actor, outcome.case, CORRECT_OUTCOME)
    if not reason.strip():
        raise CorrectionNotAllowed(
            "Give the reason for the correction", details={"fields": {"reason": "required"}}
        )
    case = outcome.case
    if code == outcome.code:
        raise CorrectionNotAllowed("Nothing was changed", details={"fields": {"code": "same"}})
    _check_outcome_code(case, code)
    with transaction.atomic():
        before = {"code": outcome.code}
        outcome.code = code
        outcome.save(update_fields=["code"])
        correction = Correction.objects.create(
            case=case,
            subject="outcome_code",
            before=before,
            after={"code": code},
            reason=reason.strip(),
            corrected_by=actor,
        )
        _audit(
            actor,
            case,
            Operation.ALTER,
            "decision.outcome_code_correction",
            {"correction": correction.pk, "before": before["code"], "after": code},
        )
    return correction


def scheme_exit_record(*, actor, case, target: str, reason_code: str, reason_text: str):
    """Fast exit (issue 12.5; domain-rules §4.7 E2, E4, E5, E7): a supervisor takes the case
    out of the scheme, from any stage before the disposal, to a criminal investigation or
    straight to prosecution. The structured reason and the words are kept; the scheme's tasks
    close with the move (``cases.domain.sla``), the safeguarding work stays open."""
    require_action(actor, case, LEAVE_SCHEME)
    problems: dict[str, str] = {}
    if target not in FAST_EXIT_TARGETS:
        problems["target"] = "Choose where the case goes"
    if reason_code not in FAST_EXIT_REASONS:
        problems["reason_code"] = "Choose the main reason"
    if not reason_text.strip():
        problems["reason_text"] = "Give the reasons in full"
    if problems:
        raise FastExitNotAllowed("; ".join(problems.values()), details={"fields": problems})
    with transaction.atomic():
        case.refresh_from_db(fields=["state"])
        if CaseState(target) not in fast_exit_targets(CaseState(case.state)):
            raise FastExitNotAllowed(
                "A case can leave the scheme early only before its disposal",
                details={"state": case.state},
            )
        exit_ = SchemeExit.objects.create(
            case=case,
            reason_code=reason_code,
            reason_text=reason_text.strip(),
            target=target,
            from_state=case.state,
            decided_by=actor,
        )
        _audit(
            actor,
            case,
            Operation.COLLECT,
            "decision.scheme_exit",
            {"scheme_exit": exit_.pk, "target": target, "reason": reason_code},
        )
        case_transition(
            actor=actor,
            case=case,
            to_state=target,
            reason=f"Left the scheme: {FAST_EXIT_REASONS[reason_code]}",
        )
    return exit_


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
    require_action(actor, case, REFER)
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
    require_action(actor, referral.case, PROSECUTION_RESULT)
    today = timezone.localdate()
    if result_date > today:
        # A CPS result is a past event (issue 11.8); nothing is recorded.
        raise DateInFuture(
            "The date of the result cannot be in the future",
            details={
                "field": "result_date",
                "value": result_date.isoformat(),
                "today": today.isoformat(),
            },
        )
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
