"""Decision pages: thin — forms in, services do the work, refusals shown on the form."""

from __future__ import annotations

from django.http import Http404

from comeforward.assessments.domain import TREATMENT_PATHWAYS
from comeforward.cases.case_pages import case_action, case_page
from comeforward.policy import DEFAULT_VERSION, OUTCOME_LABELS
from comeforward.roles import Role
from comeforward.ui.forms import case_form_page
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services
from .domain import DECISION_LABELS, DECISION_REASONS
from .forms import (
    FACT_LABELS,
    ApprovalForm,
    CautionCorrectionForm,
    CautionForm,
    DecisionForm,
    OutcomeCorrectionForm,
    OutcomeForm,
    ProsecutionForm,
    ProsecutionResultForm,
    RecommendationForm,
    SchemeExitForm,
    display_value,
)
from .policy_facts import gather_policy_facts
from .prefill import (
    admission_interview,
    caution_prefill,
    offences_admitted,
    treatment_pathway,
    treatment_required,
)

ACTING = (Role.SUPERVISOR, Role.INVESTIGATOR)


_handle = case_form_page


@role_required(*ACTING)
@case_page("decision.recommendation")
@case_action(permissions.RECOMMEND)
def recommend(request, case_id: int, record):
    gathered = gather_policy_facts(record)
    form = RecommendationForm(request.POST or None, on_record=gathered)
    return _handle(
        request,
        record,
        form,
        template="decisions/recommend.html",
        title="Evaluate the eligibility policy",
        button="Evaluate the policy",
        act=lambda f: services.recommendation_create(
            actor=request.user, case=record, confirmed=f.confirmed_facts()
        ),
        done="The eligibility policy has been evaluated",
        extra={
            "gathered": {
                name: (
                    display_value(fact.value),
                    [(display_value(v), source) for v, source in fact.reports],
                )
                for name, fact in gathered.items()
            },
            "labels": FACT_LABELS,
            "policy_version": DEFAULT_VERSION,
            "inline_fields": True,
        },
    )


@role_required(Role.SUPERVISOR)
@case_page("decision.decide")
@case_action(permissions.DECIDE)
def decide(request, case_id: int, record):
    recommendation = selectors.latest_recommendation(request.user, record)
    form = DecisionForm(request.POST or None)
    return _handle(
        request,
        record,
        form,
        template="decisions/decide.html",
        title="Record the decision",
        button="Record the decision",
        act=lambda f: services.decision_record(actor=request.user, case=record, **f.cleaned_data),
        done="The decision has been recorded",
        extra={"recommendation": recommendation, "outcome_labels": OUTCOME_LABELS},
    )


@role_required(Role.SUPERVISOR)
@case_page("decision.approval")
def approve(request, case_id: int, decision_id: int, record):
    decision = selectors.decision_get_for_user(request.user, case=record, decision_id=decision_id)
    form = ApprovalForm(request.POST or None)
    return _handle(
        request,
        record,
        form,
        template="decisions/approve.html",
        title="Approve the decision",
        button="Record my approval",
        act=lambda f: services.decision_approve(
            actor=request.user,
            decision=decision,
            approve=f.cleaned_data["approve"] == "yes",
            note=f.cleaned_data["note"],
        ),
        done="Your approval has been recorded",
        extra={
            "decision": decision,
            "decision_labels": DECISION_LABELS,
            "reason_labels": DECISION_REASONS,
            "outcome_labels": OUTCOME_LABELS,
        },
    )


def _caution_initial(record) -> tuple[dict, dict]:
    """The caution form's starting values from the records (issue 12.7): offences, offence
    date and youngest depicted age from the interview and the examination; where treatment
    is a requirement, a conditional caution with the assessor's programme as a condition."""
    prefill = caution_prefill(record)
    initial, sources = dict(prefill["initial"]), dict(prefill["sources"])
    required = treatment_required(record)
    if required is not False:
        initial["kind"] = "conditional_caution"
        pathway = treatment_pathway(record)
        programme = TREATMENT_PATHWAYS.get(pathway or "", "the treatment programme")
        initial["condition_1_kind"] = "attend_treatment"
        initial["condition_1_description"] = f"Attend and complete: {programme}"
        sources["condition_1_kind"] = "the independent assessment's treatment pathway"
    else:
        initial["kind"] = "simple_caution"
    return initial, sources


@role_required(*ACTING)
@case_page("decision.caution")
@case_action(permissions.CAUTION)
def caution(request, case_id: int, record):
    initial, sources = _caution_initial(record)
    rules = selectors.disposal_rules()
    form = CautionForm(request.POST or None, initial=initial, disposals=rules)
    decision = selectors.current_decision(request.user, record)

    def act(f):
        data = f.cleaned_data
        services.caution_record(
            actor=request.user,
            case=record,
            kind=data["kind"],
            offences=data["offences"],
            offence_date=data["offence_date"],
            youngest_depicted_age=data["youngest_depicted_age"],
            caution_date=data["caution_date"],
            conditions=f.conditions(),
            requirements=f.requirements(),
        )

    return _handle(
        request,
        record,
        form,
        template="decisions/caution.html",
        title="Record the caution",
        button="Record the caution",
        act=act,
        done="The caution has been recorded",
        extra={
            "sources": sources,
            "labels": FACT_LABELS,
            "admission": admission_interview(record),
            "decision": decision,
            "rules": rules,
            "treatment_required": treatment_required(record),
        },
    )


@role_required(Role.SUPERVISOR)
@case_page("decision.caution_correction")
def caution_correct(request, case_id: int, record):
    recorded = selectors.caution_for_case(request.user, record)
    if recorded is None:
        raise Http404("No caution on this case")
    initial = {
        "offences": recorded.offences,
        "offence_date": recorded.offence_date,
        "youngest_depicted_age": recorded.youngest_depicted_age,
        "caution_date": recorded.caution_date,
    }
    if recorded.youngest_depicted_age is None:
        initial["youngest_depicted_age"] = caution_prefill(record)["initial"].get(
            "youngest_depicted_age"
        )
    form = CautionCorrectionForm(request.POST or None, initial=initial)
    return _handle(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Correct the caution",
        button="Record the correction",
        act=lambda f: services.caution_correct(
            actor=request.user, caution=recorded, **f.cleaned_data
        ),
        done="The caution has been corrected; the register record has been recomputed",
    )


@role_required(Role.SUPERVISOR)
@case_page("decision.outcome_code_correction")
def outcome_correct(request, case_id: int, record):
    recorded = selectors.outcome_for_case(request.user, record)
    if recorded is None:
        raise Http404("No outcome code on this case")
    form = OutcomeCorrectionForm(request.POST or None, initial={"code": recorded.code})
    return _handle(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Correct the outcome code",
        button="Record the correction",
        act=lambda f: services.case_outcome_correct(
            actor=request.user, outcome=recorded, **f.cleaned_data
        ),
        done="The outcome code has been corrected",
    )


@role_required(Role.SUPERVISOR)
@case_page("decision.scheme_exit")
@case_action(permissions.LEAVE_SCHEME)
def leave_scheme(request, case_id: int, record):
    form = SchemeExitForm(request.POST or None)
    return _handle(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Take the case out of the scheme",
        button="Record and move the case",
        act=lambda f: services.scheme_exit_record(
            actor=request.user, case=record, **f.cleaned_data
        ),
        done="The case has left the scheme",
    )


@role_required(*ACTING)
@case_page("decision.outcome_code")
@case_action(permissions.RECORD_OUTCOME)
def outcome(request, case_id: int, record):
    suggestion = selectors.outcome_code_suggestion(request.user, record)
    form = OutcomeForm(request.POST or None, initial={"code": suggestion})
    return _handle(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Record the Home Office outcome code",
        button="Record the outcome code",
        act=lambda f: services.case_outcome_record(
            actor=request.user, case=record, **f.cleaned_data
        ),
        done="The outcome code has been recorded",
    )


@role_required(*ACTING)
@case_page("decision.prosecution_referral")
@case_action(permissions.REFER)
def prosecution(request, case_id: int, record):
    recorded = selectors.caution_for_case(request.user, record)
    offences = list(recorded.offences) if recorded else offences_admitted(record)
    form = ProsecutionForm(request.POST or None, initial={"offences": offences})
    return _handle(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Record the prosecution file",
        button="Record the file sent to the CPS",
        act=lambda f: services.prosecution_referral_record(
            actor=request.user, case=record, **f.cleaned_data
        ),
        done="The prosecution file has been recorded",
    )


@role_required(*ACTING)
@case_page("decision.prosecution_result")
def prosecution_result(request, case_id: int, record):
    referral = selectors.prosecution_referral_for_case(request.user, record)
    if referral is None:
        raise Http404("No prosecution file on this case")
    form = ProsecutionResultForm(request.POST or None)
    return _handle(
        request,
        record,
        form,
        template="decisions/form_page.html",
        title="Record the CPS result",
        button="Record the result",
        act=lambda f: services.prosecution_result_record(
            actor=request.user, referral=referral, **f.cleaned_data
        ),
        done="The CPS result has been recorded",
    )
