"""The home page's queues (issue 20.4): the second supervisor's "awaiting my approval", the
offender manager's new register records and initial notifications due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.decisions import services as decision_services
from comeforward.decisions.selectors import decisions_awaiting_approval_by
from comeforward.register.models import RegisterRecord
from comeforward.register.selectors import initial_notifications_due, new_records
from comeforward.roles import Role

from ..decisions.helpers import ELIGIBLE_CONFIRMED, decision_case
from ..factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(make_user, police_force):
    # A diversion always waits for a second supervisor, whatever the policy recommended.
    maker = make_user(Role.SUPERVISOR, full_name="Supervisor A")
    case = decision_case(police_force)
    decision_services.recommendation_create(actor=maker, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = decision_services.decision_record(
        actor=maker, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
    )
    assert decision.status == "pending_approval"
    return maker, case, decision


def test_awaiting_approval_lists_other_supervisors_decisions_only(make_user, pending):
    maker, case, decision = pending
    second = make_user(Role.SUPERVISOR, full_name="Supervisor B")
    assert decisions_awaiting_approval_by(maker) == []  # never one's own decision
    assert [d.pk for d in decisions_awaiting_approval_by(second)] == [decision.pk]
    other_force = make_user(
        Role.SUPERVISOR, organisation=OrganisationFactory(name="Other", code="other")
    )
    assert decisions_awaiting_approval_by(other_force) == []
    assert decisions_awaiting_approval_by(make_user(Role.INVESTIGATOR)) == []
    decision_services.decision_approve(actor=second, decision=decision, approve=True)
    assert decisions_awaiting_approval_by(second) == []


def test_second_supervisors_home_page_shows_the_queue(make_user, sign_in, pending):
    maker, case, decision = pending
    second = make_user(Role.SUPERVISOR, full_name="Supervisor B")
    html = sign_in(second).get("/").content.decode()
    assert 'data-testid="awaiting-approval"' in html
    queue = html.split('data-testid="awaiting-approval"')[1].split("</table>")[0]
    assert case.reference in queue
    assert "Divert: caution with conditions" in queue
    assert "Supervisor A" in queue
    assert timezone.localdate(decision.decided_at).strftime("%B %Y") in queue
    own = sign_in(maker).get("/").content.decode()
    assert 'data-testid="no-approvals"' in own


def _record(case, *, created_at, initial_due, manager=None):
    return RegisterRecord.objects.create(
        case=case,
        owning_organisation=case.owning_organisation,
        offence="PCA1978_S1",
        offence_date=dt.date(2025, 1, 1),
        offender_dob=dt.date(1980, 1, 1),
        disposal_type="caution",
        relevant_date=dt.date(2026, 1, 5),
        period_text="2 years",
        created_at=created_at,
        initial_due=initial_due,
        manager=manager,
    )


def test_offender_manager_sees_new_records_and_initial_notifications_due(
    make_user, sign_in, police_force
):
    manager = make_user(Role.OFFENDER_MANAGER, full_name="Olive Manager")
    today = timezone.localdate()
    now = timezone.now()
    fresh = _record(
        CaseFactory(owning_organisation=police_force),
        created_at=now,
        initial_due=today - dt.timedelta(days=1),
    )
    unallocated_old = _record(
        CaseFactory(owning_organisation=police_force),
        created_at=now - dt.timedelta(days=60),
        initial_due=None,
    )
    settled = _record(
        CaseFactory(owning_organisation=police_force),
        created_at=now - dt.timedelta(days=60),
        initial_due=today + dt.timedelta(days=2),
        manager=manager,
    )
    _record(
        CaseFactory(owning_organisation=OrganisationFactory(name="Other", code="other")),
        created_at=now,
        initial_due=today,
    )
    assert [r.pk for r in new_records(manager)] == [fresh.pk, unallocated_old.pk]
    due = initial_notifications_due(manager)
    assert [(r.pk, r.overdue) for r in due] == [(fresh.pk, True), (settled.pk, False)]
    html = sign_in(manager).get("/").content.decode()
    new_table = html.split('data-testid="new-register-records"')[1].split("</table>")[0]
    assert fresh.case.reference in new_table and unallocated_old.case.reference in new_table
    assert settled.case.reference not in new_table
    assert "Not allocated" in new_table
    due_table = html.split('data-testid="initial-notifications-due"')[1].split("</table>")[0]
    assert due_table.index(fresh.case.reference) < due_table.index(settled.case.reference)
    assert "Overdue" in due_table
