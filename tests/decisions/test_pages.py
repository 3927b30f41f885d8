"""Decision pages: who may open them, and the divert journey through the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.cases.domain.states import CaseState
from comeforward.cases.extensions import action_for
from comeforward.cases.services import case_team_add
from comeforward.decisions import services
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory
from ..web.matrix import assert_matrix
from .helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")


def _with_reason(client, case):
    from comeforward.audit.access import remember_reason

    session = client.session

    class _R:
        pass

    request = _R()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing")
    session.save()
    return client


def test_permission_matrix(make_user, sign_in, police_force):
    case = decision_case(police_force)
    users = {role: make_user(role) for role in Role.values}
    users["other force supervisor"] = make_user(
        Role.SUPERVISOR, organisation=OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    )
    team = users[Role.INVESTIGATOR]
    case_team_add(actor=None, case=case, user=team)
    rec_supervisor = users[Role.SUPERVISOR]
    services.recommendation_create(actor=rec_supervisor, case=case, confirmed=ELIGIBLE_CONFIRMED)
    other = make_user(Role.SUPERVISOR)
    decision = services.decision_record(
        actor=other,
        case=case,
        outcome="prosecute",
        reason_code="public_interest",
        reason_text="PI",
    )
    base = f"/cases/{case.pk}/decisions"
    acting = frozenset({Role.SUPERVISOR, Role.INVESTIGATOR})
    matrix = {
        f"{base}/recommendation": acting,
        f"{base}/decide": frozenset({Role.SUPERVISOR}),
        f"{base}/approve/{decision.pk}": frozenset({Role.SUPERVISOR}),
        f"{base}/caution": acting,
        f"{base}/outcome": acting,
        f"{base}/prosecution": acting,
        f"{base}/leave-scheme": frozenset({Role.SUPERVISOR}),
    }
    by_url = {
        f"{base}/recommendation": "decisions.recommend",
        f"{base}/decide": "decisions.decide",
        f"{base}/caution": "decisions.caution",
        f"{base}/outcome": "decisions.record_outcome",
        f"{base}/prosecution": "decisions.refer",
        f"{base}/leave-scheme": "decisions.leave_scheme",
    }

    def refused_now(user, url):
        return url in by_url and not action_for(user, case, by_url[url]).allowed

    assert_matrix(
        matrix, users, sign_in, remember_reason_for=("case", case.pk), refused_now=refused_now
    )
    # A decision is recorded (awaiting approval): the forms it closes are refused, with why.
    assert refused_now(rec_supervisor, f"{base}/decide")
    response = _with_reason(sign_in(rec_supervisor), case).get(f"{base}/decide", follow=True)
    assert "This case already has a decision" in response.content.decode()
    # No prosecution file yet: the result page is not found even for the team.
    assert _with_reason(sign_in(team), case).get(f"{base}/prosecution/result").status_code == 404


def test_divert_journey_through_the_pages(make_user, sign_in, police_force):
    case = decision_case(police_force)
    a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    client_a = _with_reason(sign_in(a), case)
    page = client_a.get(f"/cases/{case.pk}/decisions/recommendation").content.decode()
    assert "Person record (age today)" in page
    form = {
        name: ("yes" if value is True else "no" if value is False else value)
        for name, value in ELIGIBLE_CONFIRMED.items()
    }
    response = client_a.post(f"/cases/{case.pk}/decisions/recommendation", form)
    assert response.status_code == 302
    case_page = client_a.get(f"/cases/{case.pk}/").content.decode()
    assert "Divert (policy default-2026.1)" in case_page
    response = client_a.post(
        f"/cases/{case.pk}/decisions/decide",
        {"outcome": "divert", "reason_code": "meets_criteria", "reason_text": "All met"},
    )
    assert response.status_code == 302
    decision_id = case.decisions.get().pk
    # The deciding supervisor cannot approve their own decision.
    own = client_a.post(f"/cases/{case.pk}/decisions/approve/{decision_id}", {"approve": "yes"})
    assert "A second supervisor must approve this decision, not its maker" in own.content.decode()
    client_b = _with_reason(sign_in(b), case)
    assert (
        client_b.post(
            f"/cases/{case.pk}/decisions/approve/{decision_id}", {"approve": "yes"}
        ).status_code
        == 302
    )
    response = client_b.post(
        f"/cases/{case.pk}/decisions/caution",
        {
            "kind": "conditional_caution",
            "offences": ["PCA1978_S1"],
            "offence_date": "2025-06-01",
            "youngest_depicted_age": "12",
            "caution_date": "2026-03-02",
            "condition_1_kind": "attend_treatment",
            "condition_1_description": "Attend the programme",
            "condition_1_deadline": "2026-07-20",
            "confirmations": ["evidence", "explanation", "consent"],
            "signature_method": "e_signature",
            "signed_name": "Test Person",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CAUTIONED
    html = client_b.get(f"/cases/{case.pk}/").content.decode()
    assert "initial notification due by 4 March 2026" in html
    assert "Attend and complete the treatment programme: Attend the programme" in html


def _cautioned(make_user, police_force, **case_fields):
    case = decision_case(police_force, **case_fields)
    a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = services.decision_record(
        actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
    )
    services.decision_approve(actor=b, decision=decision, approve=True)
    return case, a


def test_correction_pages_for_supervisors_only(make_user, sign_in, police_force):
    case, a = _cautioned(make_user, police_force)
    services.caution_record(
        actor=a,
        case=case,
        kind="simple_caution",
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=dt.date(2026, 3, 2),
        conditions=[],
        requirements=S23_MET,
    )
    services.case_outcome_record(actor=a, case=case, code="3")
    users = {role: make_user(role) for role in Role.values}
    users["other force supervisor"] = make_user(
        Role.SUPERVISOR, organisation=OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    )
    case_team_add(actor=None, case=case, user=users[Role.INVESTIGATOR])
    base = f"/cases/{case.pk}/decisions"
    supervisors = frozenset({Role.SUPERVISOR})
    matrix = {f"{base}/caution/correct": supervisors, f"{base}/outcome/correct": supervisors}
    assert_matrix(matrix, users, sign_in, remember_reason_for=("case", case.pk))


def test_no_caution_no_correction_page(make_user, sign_in, police_force):
    case = decision_case(police_force)
    client = _with_reason(sign_in(make_user(Role.SUPERVISOR)), case)
    assert client.get(f"/cases/{case.pk}/decisions/caution/correct").status_code == 404
    assert client.get(f"/cases/{case.pk}/decisions/outcome/correct").status_code == 404


def test_caution_form_is_prefilled_from_the_case(make_user, sign_in, police_force):
    """Issue 12.7: offences from the interview, the conditional caution and its treatment
    condition from the assessor's pathway; the s.23 admission and decision shown."""
    case, a = _cautioned(make_user, police_force, pathway="psychoeducational_group")
    client = _with_reason(sign_in(a), case)
    page = client.get(f"/cases/{case.pk}/decisions/caution").content.decode()
    assert 'value="PCA1978_S1" checked' in page
    assert 'value="conditional_caution" checked' in page
    assert "Attend and complete: Psycho-educational group programme (e.g. Inform Plus)" in page
    assert "Full admission in the recorded interview of 12 January 2026 (DIR-0001)" in page
    assert "treatment is a requirement" in page
    assert "Diversionary caution (PCSC Act 2022 Part 6)" in page  # listed as not yet available


def test_caution_correction_through_the_page(make_user, sign_in, police_force):
    case, a = _cautioned(make_user, police_force)
    services.caution_record(
        actor=a,
        case=case,
        kind="conditional_caution",
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=None,
        caution_date=dt.date(2026, 3, 2),
        conditions=[{"kind": "attend_treatment", "description": "Attend", "deadline": None}],
        requirements=S23_MET,
    )
    client = _with_reason(sign_in(a), case)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="register-to-be-determined"' in case_page
    assert (
        "Making or taking an indecent photograph of a child (PCA 1978 s.1), 1 June 2025; "
        "youngest person depicted: not known"
    ) in case_page
    response = client.post(
        f"/cases/{case.pk}/decisions/caution/correct",
        {
            "offences": ["PCA1978_S1", "CJA1988_S160"],
            "offence_date": "2025-06-01",
            "youngest_depicted_age": "12",
            "caution_date": "2026-03-02",
            "reason": "Examiner graded the material",
        },
    )
    assert response.status_code == 302
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="register-to-be-determined"' not in case_page
    assert "youngest depicted age not known → 12" in case_page
    # offences as words, never codes (issue 20.3)
    assert (
        "offences Making or taking an indecent photograph of a child (PCA 1978 s.1) → Making "
        "or taking an indecent photograph of a child (PCA 1978 s.1), Possession of an indecent "
        "photograph of a child (CJA 1988 s.160)"
    ) in case_page
    assert "PCA1978_S1" not in case_page.split('data-testid="correction"')[1][:600]


def test_leave_the_scheme_through_the_page(make_user, sign_in, police_force):
    case = decision_case(police_force, state=CaseState.FORENSIC_REVIEW)
    supervisor = make_user(Role.SUPERVISOR)
    client = _with_reason(sign_in(supervisor), case)
    assert "Take the case out of the scheme" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/decisions/leave-scheme",
        {
            "target": "investigation",
            "reason_code": "production_or_distribution",
            "reason_text": "P2P",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATION
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Production or distribution found — Criminal investigation (outside the scheme)" in page
