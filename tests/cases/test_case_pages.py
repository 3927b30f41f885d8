"""The case page: next steps with what stops them, transitions, history."""

from __future__ import annotations

import pytest

from comeforward.audit.access import remember_reason
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.services import case_team_add
from comeforward.roles import Role

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_facts(case_extensions):
    case_extensions.facts({})


def _client_with_reason(sign_in, user, case):
    client = sign_in(user)
    session = client.session

    class _R:
        pass

    request = _R()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing")
    session.save()
    return client


def test_page_lists_unmet_conditions_and_allowed_moves(make_user, sign_in, police_force, no_facts):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force, state=S.SAFEGUARDING_SCREEN)
    case_team_add(actor=None, case=case, user=officer)
    html = _client_with_reason(sign_in, officer, case).get(f"/cases/{case.pk}/").content.decode()
    assert "Record the safeguarding screen first" in html
    assert "Move to: No further action" in html


def test_transition_by_a_team_member(make_user, sign_in, police_force, no_facts):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    case_team_add(actor=None, case=case, user=officer)
    client = _client_with_reason(sign_in, officer, case)
    response = client.post(
        f"/cases/{case.pk}/transition", {"to_state": S.SAFEGUARDING_SCREEN, "reason": "Screening"}
    )
    assert response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.state == S.SAFEGUARDING_SCREEN
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Screening" in page  # history


def test_refused_transition_explains_itself(make_user, sign_in, police_force, no_facts):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force, state=S.SAFEGUARDING_SCREEN)
    case_team_add(actor=None, case=case, user=officer)
    client = _client_with_reason(sign_in, officer, case)
    client.post(f"/cases/{case.pk}/transition", {"to_state": S.DEVICES_RECEIVED})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "The case cannot move on yet: Record the safeguarding screen first" in page
    case.refresh_from_db()
    assert case.state == S.SAFEGUARDING_SCREEN


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR, Role.INVESTIGATOR])
def test_outsiders_cannot_move_a_case(make_user, sign_in, police_force, role, no_facts):
    case = CaseFactory(owning_organisation=police_force)
    response = sign_in(make_user(role)).post(
        f"/cases/{case.pk}/transition", {"to_state": S.SAFEGUARDING_SCREEN}
    )
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.state == S.REFERRED


def test_next_steps_come_first_after_the_summary(make_user, sign_in, police_force, no_facts):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force, state=S.SAFEGUARDING_SCREEN)
    case_team_add(actor=None, case=case, user=officer)
    html = _client_with_reason(sign_in, officer, case).get(f"/cases/{case.pk}/").content.decode()
    main = html.split('id="main-content"')[1]
    headings = [
        main.index(marker)
        for marker in ('id="next-steps"', 'id="tasks"', 'id="panel-', 'id="history"')
        if marker in main
    ]
    assert len(headings) >= 3
    assert headings == sorted(headings)
    assert main.index('id="next-steps"') < main.index("<h2") + 40
