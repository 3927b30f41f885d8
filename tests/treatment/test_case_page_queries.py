"""The case page of a cautioned case in treatment costs a bounded number of queries, however
many sessions, notes, conditions and breach reviews it has (each panel and facts provider
of decisions, register, treatment and documents is O(1) queries)."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.decisions import services as decision_services
from comeforward.register import services as register_services
from comeforward.roles import Role
from comeforward.treatment import services

from ..cases.helpers import client_with_reason
from ..decisions.helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    case_extensions.keep_policy_sources("Person record (age today)")
    monkeypatch.setattr(register_services, "_today", lambda: D(2026, 3, 2))


def test_case_page_queries_do_not_grow_with_treatment_history(
    make_user, police_force, provider_org, sign_in, django_assert_max_num_queries, case_extensions
):
    # The guards for the decision stage read other apps' facts; keep only decisions' here so
    # that the case can be moved on without building the whole investigation.
    with case_extensions.scoped() as only:
        only.keep_facts("decisions")
        case = decision_case(police_force)
        a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
        decision_services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
        decision = decision_services.decision_record(
            actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
        )
        decision_services.decision_approve(actor=b, decision=decision, approve=True)
        decision_services.caution_record(
            actor=a,
            case=case,
            kind="conditional_caution",
            offences=["PCA1978_S1"],
            offence_date=D(2025, 6, 1),
            youngest_depicted_age=12,
            caution_date=D(2026, 3, 2),
            conditions=[
                {"kind": "attend_treatment", "description": f"Condition {n}", "deadline": None}
                for n in range(3)
            ],
            requirements=S23_MET,
        )
    case.refresh_from_db()
    referral = services.treatment_refer(
        actor=a, case=case, provider=provider_org, programme="Inform Plus", expected_sessions=20
    )
    services.treatment_session_record(
        actor=_provider(referral), referral=referral, date=D(2026, 4, 1), attendance="attended"
    )
    client = client_with_reason(sign_in, a, case)
    client.get(f"/cases/{case.pk}/")  # warm caches (templates, session)
    # A ceiling for the whole page (every extension's section adds a few queries: 61 on
    # PostgreSQL with eleven extensions); what matters is the next check — it does not grow.
    with django_assert_max_num_queries(80) as baseline:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    for n in range(10):
        services.treatment_session_record(
            actor=_provider(referral),
            referral=referral,
            date=D(2026, 4, 2 + n),
            attendance="attended",
        )
        services.treatment_note_add(actor=_provider(referral), referral=referral, text=f"Note {n}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "11 attended, 0 missed, 0 cancelled" in html


def _provider(referral):
    """A member of the provider the case is referred to (only they record sessions and notes:
    treatment/permissions.py)."""
    from comeforward.accounts.models import User

    found = User.objects.filter(
        organisation=referral.provider, role=Role.TREATMENT_PROVIDER
    ).first()
    if found is not None:
        return found
    from ..factories import UserFactory

    return UserFactory(role=Role.TREATMENT_PROVIDER, organisation=referral.provider)
