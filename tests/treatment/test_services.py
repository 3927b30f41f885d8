"""Treatment and breach services: facts, transitions and one audit record each."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.facts import case_facts
from comeforward.cases.models import PartnerGrant
from comeforward.roles import Role
from comeforward.treatment import services
from comeforward.treatment.domain import should_open_review
from comeforward.treatment.errors import (
    AlreadyReferred,
    BreachReviewAlreadyOpen,
    BreachReviewClosed,
    InvalidSession,
    NotATreatmentProvider,
    ReasonRequired,
    TreatmentFinished,
)
from comeforward.treatment.models import BreachReview

pytestmark = pytest.mark.django_db
D = dt.date


def scopes(case) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_type="case", subject_id=str(case.pk))
        .order_by("seq")
        .values_list("scope", flat=True)
    )


def refer(case, provider_org, actor=None):
    return services.treatment_refer(
        actor=actor, case=case, provider=provider_org, programme="Inform Plus", expected_sessions=5
    )


def test_pure_threshold_counts_only_missed():
    assert should_open_review(["missed", "cancelled", "attended"], 2) is False
    assert should_open_review(["missed", "cancelled", "missed"], 2) is True


def test_referral_grants_access_and_moves_to_treatment(cautioned, provider_org, make_user):
    officer = make_user(Role.OFFENDER_MANAGER)
    referral = refer(cautioned, provider_org, officer)
    cautioned.refresh_from_db()
    assert cautioned.state == S.IN_TREATMENT
    grant = PartnerGrant.objects.get(case=cautioned)
    assert (grant.organisation_id, grant.role) == (provider_org.pk, Role.TREATMENT_PROVIDER)
    assert scopes(cautioned) == ["treatment.referral", "case.partner_access", "case.state"]
    event = AuditEvent.objects.get(scope="treatment.referral")
    assert (event.operation, event.actor_id) == ("collect", officer.pk)
    assert event.details["expected_sessions"] == 5
    assert case_facts(cautioned).treatment_referred is True
    assert referral.programme == "Inform Plus"


def test_referral_refusals(cautioned, provider_org, police_force):
    with pytest.raises(NotATreatmentProvider):
        refer(cautioned, police_force)
    with pytest.raises(InvalidSession):
        services.treatment_refer(
            actor=None, case=cautioned, provider=provider_org, programme=" ", expected_sessions=0
        )
    refer(cautioned, provider_org)
    with pytest.raises(AlreadyReferred):
        refer(cautioned, provider_org)


def test_two_missed_sessions_open_a_breach_review(cautioned, provider_org):
    referral = refer(cautioned, provider_org)
    services.treatment_session_record(
        actor=None, referral=referral, date=D(2025, 1, 6), attendance="attended"
    )
    services.treatment_session_record(
        actor=None, referral=referral, date=D(2025, 1, 13), attendance="cancelled"
    )
    services.treatment_session_record(
        actor=None,
        referral=referral,
        date=D(2025, 1, 20),
        attendance="missed",
        missed_reason="Unwell",
    )
    assert not BreachReview.objects.exists()
    services.treatment_session_record(
        actor=None,
        referral=referral,
        date=D(2025, 1, 27),
        attendance="missed",
        missed_reason="None given",
    )
    review = BreachReview.objects.get()
    assert (review.source, review.reason) == (
        "missed_sessions",
        "2 treatment sessions missed (scheme threshold 2)",
    )
    cautioned.refresh_from_db()
    assert cautioned.state == S.BREACHED
    facts = case_facts(cautioned)
    assert (facts.breach_review_open, facts.breach_confirmed) == (True, False)
    assert scopes(cautioned).count("treatment.session") == 4


def test_a_missed_session_needs_a_reason(cautioned, provider_org):
    referral = refer(cautioned, provider_org)
    with pytest.raises(InvalidSession) as refusal:
        services.treatment_session_record(
            actor=None, referral=referral, date=D(2025, 1, 6), attendance="missed"
        )
    assert "missed_reason" in refusal.value.details["fields"]


def test_notes_are_encrypted_and_audited_without_content(cautioned, provider_org):
    from django.db import connection

    referral = refer(cautioned, provider_org)
    note = services.treatment_note_add(actor=None, referral=referral, text="Engaged well")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM treatment_progressnote WHERE id = %s", [note.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAA") and "Engaged" not in stored
    event = AuditEvent.objects.get(scope="treatment.note")
    assert "Engaged" not in str(event.details)
    with pytest.raises(ReasonRequired):
        services.treatment_note_add(actor=None, referral=referral, text="  ")


def test_completion_moves_the_case_to_completed(cautioned, provider_org):
    referral = refer(cautioned, provider_org)
    services.treatment_outcome_record(actor=None, referral=referral, outcome="completed")
    cautioned.refresh_from_db()
    assert cautioned.state == S.COMPLETED
    assert case_facts(cautioned).treatment_completed is True
    with pytest.raises(TreatmentFinished):
        services.treatment_session_record(
            actor=None, referral=referral, date=D(2025, 1, 6), attendance="attended"
        )


def test_non_completion_opens_a_review_and_a_confirmed_breach_goes_to_prosecution(
    cautioned, provider_org, make_user
):
    referral = refer(cautioned, provider_org)
    with pytest.raises(ReasonRequired):
        services.treatment_outcome_record(actor=None, referral=referral, outcome="not_completed")
    services.treatment_outcome_record(
        actor=None, referral=referral, outcome="not_completed", reason="Stopped attending"
    )
    review = BreachReview.objects.get()
    assert review.source == "non_completion"
    cautioned.refresh_from_db()
    assert cautioned.state == S.BREACHED
    supervisor = make_user(Role.SUPERVISOR)
    with pytest.raises(ReasonRequired):
        services.breach_review_decide(
            actor=make_user(Role.INVESTIGATOR), review=review, confirmed=True, reason="x"
        )
    services.breach_review_decide(
        actor=supervisor, review=review, confirmed=True, reason="No reasonable excuse"
    )
    cautioned.refresh_from_db()
    assert cautioned.state == S.REFERRED_FOR_PROSECUTION
    assert case_facts(cautioned).breach_confirmed is True
    decision = AuditEvent.objects.get(scope="treatment.breach_decision")
    assert (decision.operation, decision.actor_id, decision.details["decision"]) == (
        "alter",
        supervisor.pk,
        "confirmed",
    )
    with pytest.raises(BreachReviewClosed):
        services.breach_review_decide(actor=supervisor, review=review, confirmed=False, reason="y")


def test_a_rejected_breach_returns_the_case_to_treatment(cautioned, provider_org, make_user):
    refer(cautioned, provider_org)
    cautioned.refresh_from_db()
    review = services.breach_review_open(
        actor=None, case=cautioned, source="manual", reason="Reported contact concern"
    )
    with pytest.raises(BreachReviewAlreadyOpen):
        services.breach_review_open(actor=None, case=cautioned, source="manual", reason="again")
    services.breach_review_decide(
        actor=make_user(Role.SUPERVISOR), review=review, confirmed=False, reason="Unfounded"
    )
    cautioned.refresh_from_db()
    assert cautioned.state == S.IN_TREATMENT
    assert case_facts(cautioned).breach_review_open is False
