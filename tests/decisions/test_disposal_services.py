"""The right disposal (issue 12.4), fast exits (12.5), corrections (20.2) and no dead ends
(20.3), through the services: every refusal code, every audit record."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.models import CaseStatusChange, CaseTask
from comeforward.decisions import services
from comeforward.decisions.domain import CautionRequirements
from comeforward.decisions.errors import (
    CautionNotAllowed,
    CorrectionNotAllowed,
    FastExitNotAllowed,
    InvalidConditions,
    OutcomeCodeInconsistent,
)
from comeforward.decisions.models import Caution, Correction, SchemeExit
from comeforward.decisions.selectors import decision_facts
from comeforward.register.models import RegisterRecord
from comeforward.roles import Role
from comeforward.treatment import services as treatment_services
from comeforward.treatment.errors import NoBreachRoute

from .helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db
D = dt.date
TREATMENT = [{"kind": "attend_treatment", "description": "Attend Inform Plus", "deadline": None}]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")


@pytest.fixture
def diverted(make_user, police_force):
    def build(**case_fields):
        case = decision_case(police_force, **case_fields)
        a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
        services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
        decision = services.decision_record(
            actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
        )
        services.decision_approve(actor=b, decision=decision, approve=True)
        return case, a, b

    return build


def give(case, actor, **overrides):
    args = {
        "kind": "conditional_caution",
        "offences": ["PCA1978_S1"],
        "offence_date": D(2025, 6, 1),
        "youngest_depicted_age": 12,
        "caution_date": D(2026, 3, 2),
        "conditions": TREATMENT,
        "requirements": S23_MET,
    } | overrides
    return services.caution_record(actor=actor, case=case, **args)


def last_audit():
    return AuditEvent.objects.order_by("-seq").first()


# ── 12.4 the right disposal ──────────────────────────────────────────────────────────────


def test_conditional_caution_records_every_s23_requirement(diverted):
    case, a, b = diverted(pathway="psychoeducational_group")
    e_signed = dataclasses.replace(
        S23_MET, signature_method="e_signature", signature_reference="", signed_name="J Smith"
    )
    caution = give(case, a, requirements=e_signed)
    assert caution.kind == "conditional_caution"
    assert (caution.evidence_sufficient, caution.explanation_given, caution.consent_given) == (
        True,
        True,
        True,
    )
    assert caution.authorised_by == b  # the approving supervisor
    assert caution.admission_interview.held_on == D(2026, 1, 12)
    assert (caution.signature_method, caution.signed_name) == ("e_signature", "J Smith")
    assert caution.signed_at is not None
    event = AuditEvent.objects.filter(scope="decision.caution").get()
    assert event.details["s23"] == {
        "admission_interview": caution.admission_interview_id,
        "authorised_by": b.pk,
        "signature_method": "e_signature",
    }


def test_treatment_required_refuses_a_simple_caution(diverted):
    case, a, _ = diverted(pathway="individual_therapy")
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, kind="simple_caution", conditions=[])
    assert caught.value.code == "TREATMENT_NEEDS_CONDITIONAL_CAUTION"
    assert not Caution.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.state == CaseState.DECISION


def test_treatment_required_needs_the_treatment_condition(diverted):
    case, a, _ = diverted(pathway="individual_therapy")
    other = [{"kind": "not_access_iioc", "description": "Not to access IIOC", "deadline": None}]
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, conditions=other)
    assert caught.value.code == "TREATMENT_CONDITION_MISSING"


def test_no_pathway_on_record_is_treated_as_treatment_required(diverted):
    case, a, _ = diverted(pathway=None)
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, kind="simple_caution", conditions=[])
    assert caught.value.code == "TREATMENT_NEEDS_CONDITIONAL_CAUTION"


def test_no_treatment_pathway_allows_a_simple_caution(diverted):
    case, a, _ = diverted(pathway="none")
    assert give(case, a, kind="simple_caution", conditions=[]).kind == "simple_caution"


def test_the_diversionary_caution_is_refused_until_it_commences(diverted):
    case, a, _ = diverted()
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, kind="diversionary_caution")
    assert caught.value.code == "DISPOSAL_NOT_AVAILABLE"
    assert "Awaiting commencement" in caught.value.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"evidence_sufficient": False}, "evidence"),
        ({"explanation_given": False}, "explanation_and_warning"),
        ({"consent_given": False}, "signed_consent"),
        ({"signature_method": ""}, "signed_consent"),
        ({"signature_reference": " "}, "signed_consent"),
        ({"signature_method": "e_signature", "signed_name": ""}, "signed_consent"),
    ],
)
def test_each_s23_requirement_is_refused_when_missing(diverted, change, field):
    case, a, _ = diverted()
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, requirements=dataclasses.replace(S23_MET, **change))
    assert caught.value.code == "CAUTION_REQUIREMENT_MISSING"
    assert list(caught.value.details["fields"]) == [field]
    assert not Caution.objects.filter(case=case).exists()


def test_no_requirements_at_all_names_every_one(diverted):
    case, a, _ = diverted()
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, requirements=CautionRequirements())
    assert set(caught.value.details["fields"]) == {
        "evidence",
        "explanation_and_warning",
        "signed_consent",
    }


@pytest.mark.parametrize("admission", ["partial", "none", None])
def test_no_full_recorded_admission_refuses_the_caution(diverted, admission):
    case, a, _ = diverted(admission=admission)
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a)
    assert list(caught.value.details["fields"]) == ["admission"]


def test_an_admission_only_after_the_caution_date_does_not_count(diverted):
    case, a, _ = diverted()
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, caution_date=D(2026, 1, 11), offence_date=D(2025, 6, 1))
    assert list(caught.value.details["fields"]) == ["admission"]


def test_a_simple_caution_cannot_be_breached(diverted):
    case, a, _ = diverted(pathway="none")
    give(case, a, kind="simple_caution", conditions=[])
    with pytest.raises(NoBreachRoute) as caught:
        treatment_services.breach_review_open(
            actor=a, case=case, source="manual", reason="Missed sessions"
        )
    assert caught.value.code == "NO_BREACH_ROUTE"
    case.refresh_from_db()
    assert case.state == CaseState.CAUTIONED
    assert decision_facts(case)["breach_route_available"] is False


def test_a_conditional_caution_breach_goes_to_prosecution(diverted, case_extensions):

    case_extensions.keep_facts("decisions", "treatment")
    case, a, b = diverted()
    give(case, a)
    assert decision_facts(case)["breach_route_available"] is True
    review = treatment_services.breach_review_open(
        actor=a, case=case, source="manual", reason="Did not attend"
    )
    treatment_services.breach_review_decide(actor=b, review=review, confirmed=True, reason="Yes")
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED_FOR_PROSECUTION


# ── 20.2 dates and outcome codes validated, corrections audited ─────────────────────────


@pytest.mark.parametrize(
    ("dates", "fields"),
    [
        ({"caution_date": "tomorrow"}, ["caution_date"]),
        ({"offence_date": "tomorrow", "caution_date": "today"}, ["offence_date"]),
        ({"offence_date": D(2026, 3, 3)}, ["offence_date"]),
        ({"offence_date": D(1960, 1, 1)}, ["offence_date"]),
    ],
)
def test_impossible_caution_dates_are_refused(diverted, dates, fields):
    case, a, _ = diverted()
    today = timezone.localdate()
    named = {"tomorrow": today + dt.timedelta(days=1), "today": today}
    dates = {k: named.get(v, v) for k, v in dates.items()}
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, **dates)
    assert caught.value.code == "CAUTION_DATE_INVALID"
    assert list(caught.value.details["fields"]) == fields
    assert not Caution.objects.filter(case=case).exists()


def test_caution_correction_keeps_before_and_after_and_recomputes_the_register(diverted):
    case, a, _ = diverted()
    caution = give(case, a)
    record = RegisterRecord.objects.get(case=case)
    assert record.relevant_date == D(2026, 3, 2)
    correction = services.caution_correct(
        actor=a, caution=caution, reason="Keyed the wrong day", caution_date=D(2026, 3, 9)
    )
    assert correction.before["caution_date"] == "2026-03-02"
    assert correction.after["caution_date"] == "2026-03-09"
    assert correction.reason == "Keyed the wrong day"
    caution.refresh_from_db()
    assert caution.caution_date == D(2026, 3, 9)
    assert caution.initial_notification_due == D(2026, 3, 11)
    record.refresh_from_db()
    assert record.relevant_date == D(2026, 3, 9)
    assert record.last_day == D(2028, 3, 8)
    event = last_audit()
    assert (event.scope, event.operation) == ("decision.caution_correction", "alter")
    assert event.details["changed"] == ["caution_date"]
    assert AuditEvent.objects.filter(scope="register.record_recompute").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM decisions_correction WHERE id=%s", [correction.pk])
        assert cursor.fetchone()[0].startswith("gAAAA")


def test_caution_correction_refusals(diverted, make_user):
    case, a, _ = diverted()
    caution = give(case, a)
    officer = make_user(Role.INVESTIGATOR)
    with pytest.raises(CorrectionNotAllowed):
        services.caution_correct(actor=officer, caution=caution, reason="x")
    with pytest.raises(CorrectionNotAllowed) as caught:
        services.caution_correct(actor=a, caution=caution, reason=" ", caution_date=D(2026, 3, 3))
    assert caught.value.details["fields"] == {"reason": "required"}
    with pytest.raises(CorrectionNotAllowed, match="Nothing was changed"):
        services.caution_correct(actor=a, caution=caution, reason="Same")
    future = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(CautionNotAllowed) as caught:
        services.caution_correct(actor=a, caution=caution, reason="x", caution_date=future)
    assert caught.value.code == "CAUTION_DATE_INVALID"
    assert Correction.objects.count() == 0
    caution.refresh_from_db()
    assert caution.caution_date == D(2026, 3, 2)


def test_outcome_3_refused_without_a_caution_and_1_without_a_charge(diverted, make_user):
    case, a, _ = diverted()
    with pytest.raises(OutcomeCodeInconsistent) as caught:
        services.case_outcome_record(actor=a, case=case, code="3")
    assert caught.value.code == "OUTCOME_CODE_INCONSISTENT"
    with pytest.raises(OutcomeCodeInconsistent):
        services.case_outcome_record(actor=a, case=case, code="1")
    give(case, a)
    with pytest.raises(OutcomeCodeInconsistent, match="the outcome is 3"):
        services.case_outcome_record(actor=a, case=case, code="22")
    outcome = services.case_outcome_record(actor=a, case=case, code="3")
    assert outcome.code == "3"


def test_outcome_code_correction_is_audited_and_checked(make_user, police_force):
    case = decision_case(police_force)
    a = make_user(Role.SUPERVISOR)
    outcome = services.case_outcome_record(actor=a, case=case, code="10", note="n")
    with pytest.raises(OutcomeCodeInconsistent):
        services.case_outcome_correct(actor=a, outcome=outcome, code="3", reason="Wrong")
    correction = services.case_outcome_correct(
        actor=a, outcome=outcome, code="21", reason="Police decision, not 10"
    )
    outcome.refresh_from_db()
    assert outcome.code == "21"
    assert (correction.before, correction.after) == ({"code": "10"}, {"code": "21"})
    assert last_audit().details == {"correction": correction.pk, "before": "10", "after": "21"}


# ── 20.3 no dead ends: a register record to be determined, completed without re-keying ──


def test_a_record_to_be_determined_is_completed_by_the_missing_fact(diverted):
    case, a, _ = diverted()
    caution = give(case, a, youngest_depicted_age=None)
    record = RegisterRecord.objects.get(case=case)
    assert record.period_text.startswith("To be determined")
    task = CaseTask.objects.get(case=case, kind="register_to_be_determined")
    services.caution_correct(
        actor=a, caution=caution, reason="Examiner graded the images", youngest_depicted_age=13
    )
    record.refresh_from_db()
    caution.refresh_from_db()
    assert caution.notifiable is True
    assert record.youngest_depicted_age == 13
    assert record.period_text == "2 years"
    assert (record.offence, record.offence_date) == ("PCA1978_S1", D(2025, 6, 1))
    task.refresh_from_db()
    assert task.done_by == a


def test_a_record_to_be_determined_closes_when_not_notifiable(diverted):
    case, a, _ = diverted()
    caution = give(case, a, youngest_depicted_age=None)
    services.caution_correct(actor=a, caution=caution, reason="Graded", youngest_depicted_age=17)
    record = RegisterRecord.objects.get(case=case)
    assert (record.active, record.period_text) == (
        False,
        "Not subject to the notification requirements",
    )


# ── 12.5 fast exits ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "state", [CaseState.REFERRED, CaseState.FORENSIC_REVIEW, CaseState.INTERVIEW]
)
def test_a_supervisor_moves_the_case_to_investigation_from_any_stage(
    make_user, police_force, state
):
    case = decision_case(police_force, state=state)
    a = make_user(Role.SUPERVISOR)
    exit_ = services.scheme_exit_record(
        actor=a,
        case=case,
        target="investigation",
        reason_code="category_a",
        reason_text="14 Category A images on exhibit 2",
    )
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATION
    assert (exit_.from_state, exit_.reason_code) == (state.value, "category_a")
    change = CaseStatusChange.objects.filter(case=case).last()
    assert change.reason == "Left the scheme: Category A images found"
    assert AuditEvent.objects.filter(scope="decision.scheme_exit").get().details == {
        "scheme_exit": exit_.pk,
        "target": "investigation",
        "reason": "category_a",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason_text FROM decisions_schemeexit WHERE id=%s", [exit_.pk])
        assert cursor.fetchone()[0].startswith("gAAAA")


def test_fast_exit_closes_the_scheme_tasks_and_keeps_the_safeguarding_one(make_user, police_force):
    from comeforward.cases.services import case_open

    a = make_user(Role.SUPERVISOR)
    case = case_open(
        actor=a, person=decision_case(police_force).person, owning_organisation=police_force
    )
    CaseTask.objects.create(
        case=case,
        kind="interview",
        label="Interview",
        assigned_role="investigator",
        due=D(2026, 1, 1),
    )
    services.scheme_exit_record(
        actor=a,
        case=case,
        target="referred_for_prosecution",
        reason_code="denial",
        reason_text="Denied",
    )
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED_FOR_PROSECUTION
    open_kinds = set(
        CaseTask.objects.filter(case=case, done_at=None).values_list("kind", flat=True)
    )
    assert open_kinds == {"safeguarding_screen"}


def test_fast_exit_refusals(make_user, police_force):
    case = decision_case(police_force, state=CaseState.INTERVIEW)
    a, officer = make_user(Role.SUPERVISOR), make_user(Role.INVESTIGATOR)
    with pytest.raises(FastExitNotAllowed):
        services.scheme_exit_record(
            actor=officer, case=case, target="investigation", reason_code="denial", reason_text="x"
        )
    with pytest.raises(FastExitNotAllowed) as caught:
        services.scheme_exit_record(
            actor=a, case=case, target="elsewhere", reason_code="nope", reason_text=" "
        )
    assert set(caught.value.details["fields"]) == {"target", "reason_code", "reason_text"}
    cautioned = decision_case(police_force, state=CaseState.CAUTIONED)
    with pytest.raises(FastExitNotAllowed, match="before its disposal"):
        services.scheme_exit_record(
            actor=a, case=cautioned, target="investigation", reason_code="denial", reason_text="x"
        )
    assert SchemeExit.objects.count() == 0


def test_a_partial_admission_still_reaches_prosecution(make_user, police_force):
    """Issue 20.3: after a partial admission, prosecution is reachable (a fast exit)."""
    case = decision_case(police_force, admission="partial", state=CaseState.INTERVIEW)
    a = make_user(Role.SUPERVISOR)
    services.scheme_exit_record(
        actor=a,
        case=case,
        target="referred_for_prosecution",
        reason_code="partial_admission",
        reason_text="Admitted possession only, denied the rest",
    )
    referral = services.prosecution_referral_record(
        actor=a,
        case=case,
        offences=["PCA1978_S1"],
        evidence_summary="Exhibits 1-2",
        reasons="Partial admission",
        sent_to_cps_on=D(2026, 2, 1),
    )
    assert referral.case.state == CaseState.REFERRED_FOR_PROSECUTION


def test_caution_refused_on_unknown_kind(diverted):
    case, a, _ = diverted()
    with pytest.raises(CautionNotAllowed) as caught:
        give(case, a, kind="made_up")
    assert caught.value.code == "DISPOSAL_NOT_AVAILABLE"


def test_simple_caution_with_conditions_is_refused(diverted):
    case, a, _ = diverted(pathway="none")
    with pytest.raises(InvalidConditions, match="A simple caution has no conditions"):
        give(case, a, kind="simple_caution")
