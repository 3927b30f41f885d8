"""A confirmed breach refers the case for prosecution (treatment.services.breach_review_decide,
domain-rules §4.8); the officer must then be able to record the file sent to the CPS. Found
missing by the breach journey (tests/e2e/test_scheme_journeys.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.selectors import case_status_history
from comeforward.cases.services import case_team_add
from comeforward.decisions import services
from comeforward.decisions.errors import ProsecutionFileAlreadyRecorded
from comeforward.decisions.panel import decisions_panel_context
from comeforward.roles import Role

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db

FILE = {
    "offences": ["CJA1988_S160"],
    "evidence_summary": "Fictional summary",
    "reasons": "Caution condition breached",
    "sent_to_cps_on": dt.date(2026, 3, 5),
}


def _on_team(case, officer):
    case_team_add(actor=None, case=case, user=officer)
    return case


class _Request:
    def __init__(self, user):
        self.user = user


def test_file_recorded_on_a_case_already_referred_by_a_breach(make_user, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = _on_team(
        CaseFactory(owning_organisation=police_force, state=CaseState.REFERRED_FOR_PROSECUTION),
        officer,
    )
    assert decisions_panel_context(_Request(officer), case)["actions"]["refer"].allowed is True

    referral = services.prosecution_referral_record(actor=officer, case=case, **FILE)

    case.refresh_from_db()
    assert case.state == CaseState.REFERRED_FOR_PROSECUTION
    assert case_status_history(case) == []  # no second move
    assert (referral.offences, referral.sent_to_cps_on) == (["CJA1988_S160"], dt.date(2026, 3, 5))
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope, event.actor_id) == (
        "disclose",
        "decision.prosecution_referral",
        officer.pk,
    )
    panel = decisions_panel_context(_Request(officer), case)
    assert (panel["actions"]["refer"].allowed, panel["referral"]) == (False, referral)


def test_a_second_file_is_refused(make_user, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force, state=CaseState.REFERRED_FOR_PROSECUTION)
    services.prosecution_referral_record(actor=officer, case=case, **FILE)
    with pytest.raises(ProsecutionFileAlreadyRecorded) as refused:
        services.prosecution_referral_record(actor=officer, case=case, **FILE)
    assert refused.value.code == "PROSECUTION_FILE_ALREADY_RECORDED"


@pytest.mark.parametrize("state", [CaseState.CAUTIONED, CaseState.BREACHED])
def test_no_file_offered_before_the_case_is_referred(make_user, police_force, state):
    officer = make_user(Role.INVESTIGATOR)
    case = _on_team(CaseFactory(owning_organisation=police_force, state=state), officer)
    assert decisions_panel_context(_Request(officer), case)["actions"]["refer"].allowed is False
