"""The transition service: guards from registered facts, status history, audit."""

from __future__ import annotations

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.domain.workflow import CaseTransitionNotAllowed
from comeforward.cases.models import CaseStatusChange
from comeforward.cases.services import case_transition

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provided_facts(case_extensions):
    """Replace every extension's facts by ``facts`` (a dict the test fills in)."""
    return case_extensions.facts({})


def test_allowed_transition_writes_history_and_audit(make_user, provided_facts):
    officer = make_user()
    case = CaseFactory()
    case = case_transition(actor=officer, case=case, to_state=S.SAFEGUARDING_SCREEN, reason="Seen")
    assert case.state == S.SAFEGUARDING_SCREEN
    change = CaseStatusChange.objects.get()
    assert (change.from_state, change.to_state, change.actor, change.reason) == (
        "referred",
        "safeguarding_screen",
        officer,
        "Seen",
    )
    event = AuditEvent.objects.get(scope="case.state")
    assert event.details == {"from": "referred", "to": "safeguarding_screen"}


def test_refused_transition_changes_nothing(make_user, provided_facts):
    case = CaseFactory(state=S.SAFEGUARDING_SCREEN)
    with pytest.raises(CaseTransitionNotAllowed) as error:
        case_transition(actor=make_user(), case=case, to_state=S.DEVICES_RECEIVED)
    assert error.value.details["unmet"][0]["code"] == "SAFEGUARDING_NOT_SCREENED"
    case.refresh_from_db()
    assert case.state == S.SAFEGUARDING_SCREEN
    assert CaseStatusChange.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_facts_from_providers_open_the_guard(make_user, provided_facts):
    case = CaseFactory(state=S.SAFEGUARDING_SCREEN)
    provided_facts["safeguarding_screened"] = True
    case = case_transition(actor=make_user(), case=case, to_state=S.DEVICES_RECEIVED)
    assert case.state == S.DEVICES_RECEIVED


def test_a_provider_with_an_unknown_fact_is_a_bug(make_user, case_extensions):
    case_extensions.facts({"made_up": 1})
    with pytest.raises(ValueError, match="unknown facts"):
        case_transition(actor=make_user(), case=CaseFactory(), to_state=S.SAFEGUARDING_SCREEN)


def test_status_rows_are_immutable(make_user, provided_facts):
    case_transition(actor=make_user(), case=CaseFactory(), to_state=S.SAFEGUARDING_SCREEN)
    change = CaseStatusChange.objects.get()
    change.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        change.save()
