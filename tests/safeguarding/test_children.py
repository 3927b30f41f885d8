"""Children the person has access to (issue 12.3; domain-rules §5.2 S1, S12): recorded without
names under need-to-know, changes supersede (never edit), any change makes the re-screen due,
and every route to children feeds E9 as the most restrictive source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.extension import intake_policy_facts
from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.errors import DomainError
from comeforward.people.models import HouseholdMember
from comeforward.roles import Role
from comeforward.safeguarding.extension import children_policy_facts
from comeforward.safeguarding.extension import screen_policy_facts as safeguarding_policy_facts
from comeforward.safeguarding.models import ChildAccess
from comeforward.safeguarding.selectors import children_current, rescreen_due
from comeforward.safeguarding.services import (
    child_access_change,
    child_access_end,
    child_access_record,
    safeguarding_screen_record,
)

from ..factories import CaseFactory
from ..web.matrix import assert_matrix

pytestmark = pytest.mark.django_db

CHILD = {
    "age_band": "5_to_10",
    "relationship": "friends_child",
    "access_kind": "babysitting_or_care",
    "supervised": False,
}
NO = {
    "children_in_household": False,
    "works_with_children": False,
    "immediate_risk": False,
    "suicide_or_self_harm_risk": False,
}


@pytest.fixture
def world(make_user, police_force):
    case = CaseFactory(owning_organisation=police_force)
    users = {role: make_user(role) for role in Role.values}
    for role in (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.FORENSIC_EXAMINER):
        case_team_add(actor=None, case=case, user=users[role])
    for role in (Role.INDEPENDENT_ASSESSOR, Role.TREATMENT_PROVIDER):
        case_partner_grant(actor=None, case=case, organisation=users[role].organisation, role=role)
    return case, users


def test_babysitting_recorded_after_a_no_children_screen(world):
    case, users = world
    officer = users[Role.INTAKE_OFFICER]
    safeguarding_screen_record(actor=officer, case=case, **NO)
    assert safeguarding_policy_facts(case)["access_to_children"] is False
    assert not rescreen_due(case)
    child = child_access_record(actor=officer, case=case, **CHILD)
    audit = AuditEvent.objects.filter(scope="case.safeguarding.child").get()
    assert audit.details["action"] == "recorded" and audit.details["rescreen_due"] is True
    assert rescreen_due(case)
    assert children_policy_facts(case) == {"access_to_children": True}
    # the stale screen's "no children" is no longer relied on
    assert "access_to_children" not in safeguarding_policy_facts(case)
    # a new screen clears the re-screen
    safeguarding_screen_record(actor=officer, case=case, **NO)
    assert not rescreen_due(case)
    # a change supersedes and makes the re-screen due again
    new = child_access_change(actor=officer, child=child, **(CHILD | {"supervised": True}))
    assert new.supersedes == child and rescreen_due(case)
    assert children_current(case) == [new]
    with pytest.raises(DomainError) as caught:
        child_access_change(actor=officer, child=child, **CHILD)
    assert caught.value.code == "CHILD_RECORD_NOT_CURRENT"
    ended = child_access_end(actor=officer, child=new, ended_on=timezone.localdate())
    assert ended.ended_on == timezone.localdate()
    assert children_current(case) == []
    assert children_policy_facts(case) == {}
    assert ChildAccess.objects.filter(case=case).count() == 3  # nothing edited or deleted


def test_bad_child_values_and_future_end_refused(world):
    case, users = world
    officer = users[Role.INTAKE_OFFICER]
    with pytest.raises(DomainError) as caught:
        child_access_record(actor=officer, case=case, **(CHILD | {"access_kind": "telepathy"}))
    assert (caught.value.code, caught.value.details["field"]) == (
        "CHILD_RECORD_INVALID",
        "access_kind",
    )
    child = child_access_record(actor=officer, case=case, **CHILD)
    with pytest.raises(DomainError) as caught:
        child_access_end(
            actor=officer, child=child, ended_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert caught.value.code == "CHILD_RECORD_INVALID"
    assert ChildAccess.objects.count() == 1


def test_intake_household_child_is_a_source(world):
    case, _ = world
    assert intake_policy_facts(case) == {}
    HouseholdMember.objects.create(person=case.person, name="Child", is_child=True)
    assert intake_policy_facts(case) == {"access_to_children": True}


def test_permission_matrix(world, sign_in):
    case, users = world
    child = child_access_record(actor=users[Role.INTAKE_OFFICER], case=case, **CHILD)
    allowed = frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR})
    base = f"/cases/{case.pk}/safeguarding/children"
    assert_matrix(
        {
            f"{base}/new": allowed,
            f"{base}/{child.pk}/change": allowed,
            f"{base}/{child.pk}/end": allowed,
        },
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_record_a_child_through_the_page_and_see_it_on_the_panel(world, sign_in):
    from comeforward.audit.access import remember_reason

    case, users = world
    client = sign_in(users[Role.INVESTIGATOR])
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing")
    session.save()
    response = client.post(
        f"/cases/{case.pk}/safeguarding/children/new",
        {**CHILD, "supervised": "no", "notes": ""},
    )
    assert response.status_code == 302
    child = ChildAccess.objects.get()
    assert (child.access_kind, child.supervised) == ("babysitting_or_care", False)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="rescreen-due"' in page
    assert "Babysitting or caring for the child" in page


def test_a_change_about_children_opens_one_rescreen_task_that_the_screen_closes(world):
    """Issue 12.3 / S12: the re-screen is a case task in the task queue (not only a panel
    status): one open task however many changes, closed by the next recorded screen."""
    from comeforward.cases.models import CaseTask
    from comeforward.cases.selectors import task_queue

    case, users = world
    officer = users[Role.INTAKE_OFFICER]
    investigator = users[Role.INVESTIGATOR]
    safeguarding_screen_record(actor=officer, case=case, **NO)
    assert not CaseTask.objects.filter(case=case, kind="safeguarding_rescreen").exists()
    child = child_access_record(actor=officer, case=case, **CHILD)
    child_access_change(actor=officer, child=child, **(CHILD | {"supervised": True}))
    tasks = CaseTask.objects.filter(case=case, kind="safeguarding_rescreen")
    assert tasks.count() == 1
    task = tasks.get()
    assert task.done_at is None and task.assigned_role == Role.INVESTIGATOR
    assert task.due > timezone.localdate() and task.due.weekday() < 5
    assert task.pk in [t.pk for t in task_queue(investigator)]
    safeguarding_screen_record(actor=officer, case=case, **NO)
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == officer
    assert not rescreen_due(case)
    # a later change opens a new one
    current = children_current(case)[0]
    child_access_end(actor=officer, child=current, ended_on=timezone.localdate())
    assert tasks.filter(done_at__isnull=True).count() == 1
