"""Safeguarding services: records, audit, deadlines, and the facts the workflow reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.domain.workflow import CaseTransitionNotAllowed
from comeforward.cases.services import case_transition
from comeforward.roles import Role
from comeforward.safeguarding.errors import (
    OutcomeDateInvalid,
    ReferralAlreadyClosed,
    ReferralDateInvalid,
)
from comeforward.safeguarding.models import SafeguardingScreen
from comeforward.safeguarding.selectors import (
    outstanding_referrals,
    referrals_for_case,
    safeguarding_facts,
    screen_latest,
)
from comeforward.safeguarding.services import (
    safeguarding_referral_outcome_record,
    safeguarding_referral_record,
    safeguarding_screen_record,
)

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db

NO = {
    "children_in_household": False,
    "works_with_children": False,
    "immediate_risk": False,
    "suicide_or_self_harm_risk": False,
}


@pytest.fixture
def officer(make_user):
    return make_user(Role.INTAKE_OFFICER)


def _screen(officer, case, **answers):
    return safeguarding_screen_record(actor=officer, case=case, **(NO | answers))


def test_screen_records_answers_and_audit(officer):
    case = CaseFactory()
    screen = _screen(officer, case, works_with_children=True, notes="  Teaches swimming  ")
    screen.refresh_from_db()
    assert (screen.works_with_children, screen.referral_required, screen.notes) == (
        True,
        True,
        "Teaches swimming",
    )
    event = AuditEvent.objects.get(scope="case.safeguarding.screen")
    assert (event.operation, event.subject_type, event.subject_id, event.actor_id) == (
        "collect",
        "case",
        str(case.pk),
        officer.pk,
    )
    assert event.details == {"screen": screen.pk, "referral_required": True, "indicated": ["lado"]}


def test_screen_notes_are_encrypted_at_rest(officer):
    from django.db import connection

    screen = _screen(officer, CaseFactory(), notes="Lives with two children")
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM safeguarding_safeguardingscreen WHERE id=%s", [screen.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAA")
    assert "children" not in stored


def test_a_screen_is_never_edited(officer):
    screen = _screen(officer, CaseFactory())
    screen.immediate_risk = True
    with pytest.raises(ValueError, match="never edited"):
        screen.save()


def test_facts_before_and_after(officer):
    case = CaseFactory()
    assert safeguarding_facts(case) == {
        "safeguarding_screened": False,
        "safeguarding_referral_required": False,
        "safeguarding_referrals_made": 0,
        "safeguarding_referrals_open": 0,
    }
    _screen(officer, case, children_in_household=True, suicide_or_self_harm_risk=True)
    today = timezone.localdate()
    csc = safeguarding_referral_record(
        actor=officer, case=case, kind="childrens_social_care", made_on=today
    )
    safeguarding_referral_record(actor=officer, case=case, kind="mental_health", made_on=today)
    assert safeguarding_facts(case) == {
        "safeguarding_screened": True,
        "safeguarding_referral_required": True,
        "safeguarding_referrals_made": 1,  # mental-health support is not a child-protection referral
        "safeguarding_referrals_open": 1,
    }
    safeguarding_referral_outcome_record(
        actor=officer, referral=csc, outcome="No further action by CSC", outcome_on=today
    )
    assert safeguarding_facts(case)["safeguarding_referrals_open"] == 0


def test_latest_screen_decides(officer):
    case = CaseFactory()
    first = _screen(officer, case, children_in_household=True)
    SafeguardingScreen.objects.filter(pk=first.pk).update(
        screened_at=timezone.now() - dt.timedelta(days=3)
    )
    _screen(officer, case)
    assert safeguarding_facts(case)["safeguarding_referral_required"] is False
    assert screen_latest(case).children_in_household is False


def test_referral_deadline_runs_from_the_screen(officer):
    case = CaseFactory()
    screen = _screen(officer, case, works_with_children=True, children_in_household=True)
    friday = timezone.make_aware(dt.datetime(2026, 3, 27, 10, 0))
    SafeguardingScreen.objects.filter(pk=screen.pk).update(screened_at=friday)
    screen.refresh_from_db()
    outstanding = outstanding_referrals(screen, referrals_for_case(case))
    assert [(o.kind.value, o.due_by, o.needs_policy_signoff) for o in outstanding] == [
        ("childrens_social_care", dt.date(2026, 3, 27), True),
        ("lado", dt.date(2026, 3, 30), True),
    ]
    lado = safeguarding_referral_record(
        actor=officer,
        case=case,
        kind="lado",
        made_on=dt.date(2026, 3, 31),
        agency="Northshire LADO",
    )
    assert (lado.due_by, lado.made_late, lado.agency) == (
        dt.date(2026, 3, 30),
        True,
        "Northshire LADO",
    )
    remaining = outstanding_referrals(screen, referrals_for_case(case))
    assert [o.kind.value for o in remaining] == ["childrens_social_care"]
    event = AuditEvent.objects.get(scope="case.safeguarding.referral")
    assert event.details == {
        "referral": lado.pk,
        "kind": "lado",
        "made_on": "2026-03-31",
        "due_by": "2026-03-30",
    }


def test_referral_without_screen_has_no_deadline(officer):
    referral = safeguarding_referral_record(
        actor=officer, case=CaseFactory(), kind="lado", made_on=timezone.localdate()
    )
    assert referral.due_by is None
    assert referral.made_late is False


def test_future_referral_date_refused(officer):
    case = CaseFactory()
    with pytest.raises(ReferralDateInvalid) as error:
        safeguarding_referral_record(
            actor=officer,
            case=case,
            kind="lado",
            made_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert error.value.code == "REFERRAL_DATE_INVALID"
    assert referrals_for_case(case) == []
    assert AuditEvent.objects.count() == 0


def test_outcome_rules(officer):
    case = CaseFactory()
    today = timezone.localdate()
    referral = safeguarding_referral_record(
        actor=officer, case=case, kind="strategy_discussion", made_on=today - dt.timedelta(days=2)
    )
    with pytest.raises(OutcomeDateInvalid) as error:
        safeguarding_referral_outcome_record(
            actor=officer, referral=referral, outcome="x", outcome_on=today - dt.timedelta(days=3)
        )
    assert error.value.code == "REFERRAL_OUTCOME_DATE_INVALID"
    with pytest.raises(OutcomeDateInvalid):
        safeguarding_referral_outcome_record(
            actor=officer, referral=referral, outcome="x", outcome_on=today + dt.timedelta(days=1)
        )
    closed = safeguarding_referral_outcome_record(
        actor=officer, referral=referral, outcome="Safety plan agreed", outcome_on=today
    )
    closed.refresh_from_db()
    assert (closed.outcome, closed.outcome_on, closed.outcome_recorded_by, closed.is_open) == (
        "Safety plan agreed",
        today,
        officer,
        False,
    )
    event = AuditEvent.objects.filter(scope="case.safeguarding.referral").last()
    assert (event.operation, event.details) == (
        "alter",
        {"referral": referral.pk, "outcome_on": today.isoformat()},
    )
    with pytest.raises(ReferralAlreadyClosed) as again:
        safeguarding_referral_outcome_record(
            actor=officer, referral=referral, outcome="Again", outcome_on=today
        )
    assert again.value.code == "REFERRAL_ALREADY_CLOSED"


def test_the_workflow_reads_the_screen(officer):
    case = CaseFactory(state=S.SAFEGUARDING_SCREEN)
    _screen(officer, case, children_in_household=True)
    with pytest.raises(CaseTransitionNotAllowed) as error:
        case_transition(actor=officer, case=case, to_state=S.DEVICES_RECEIVED)
    assert [u["code"] for u in error.value.details["unmet"]] == ["SAFEGUARDING_REFERRAL_NOT_MADE"]
    safeguarding_referral_record(
        actor=officer, case=case, kind="childrens_social_care", made_on=timezone.localdate()
    )
    case = case_transition(actor=officer, case=case, to_state=S.DEVICES_RECEIVED)
    assert case.state == S.DEVICES_RECEIVED
