"""Tasks and SLA clocks: opened by workflow events, finished when the case moves on, shown
due-first on the home page; marking done is limited to the task's role."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases import selectors, services
from comeforward.cases.domain.sla import OPEN
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.domain.working_days import add_working_days
from comeforward.cases.models import CaseTask
from comeforward.roles import Role

from ..factories import CaseFactory, PersonFactory
from .helpers import client_with_reason

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def facts(case_extensions):
    return case_extensions.facts({})


def test_a_referral_on_friday_evening_is_due_on_monday(police_force):
    case = CaseFactory(
        owning_organisation=police_force,
        created_at=dt.datetime(2026, 3, 6, 23, 30, tzinfo=LONDON),
    )
    (task,) = services._open_tasks(case, OPEN)
    assert (task.kind, task.assigned_role, task.due) == (
        "safeguarding_screen",
        Role.INTAKE_OFFICER,
        dt.date(2026, 3, 9),
    )
    assert services._open_tasks(case, OPEN) == []  # one open task per kind


def test_settings_change_the_clock(police_force, settings):
    settings.COMEFORWARD_SLAS = {"safeguarding_screen": {"working_days": 3}}
    case = CaseFactory(
        owning_organisation=police_force, created_at=dt.datetime(2026, 3, 6, 9, tzinfo=LONDON)
    )
    (task,) = services._open_tasks(case, OPEN)
    assert task.due == dt.date(2026, 3, 11)


def test_beyond_the_bank_holiday_table_the_due_date_is_flagged_as_estimated(police_force):
    # Bank holidays are known to 2099 (cases.domain.working_days.COVERED_YEARS).
    case = CaseFactory(
        owning_organisation=police_force, created_at=dt.datetime(2099, 12, 31, 9, tzinfo=LONDON)
    )
    (task,) = services._open_tasks(case, OPEN)
    assert task.due == dt.date(2100, 1, 1)  # a Friday: weekends skipped, holidays unknown
    assert task.label.endswith("(due date estimated: bank holidays not yet known)")


def test_case_open_starts_the_safeguarding_clock_and_says_so_in_the_audit(make_user, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    task = CaseTask.objects.get(case=case)
    assert task.due == add_working_days(timezone.localdate(case.created_at), 1)
    assert task.done_at is None
    event = AuditEvent.objects.get(scope="case", subject_id=str(case.pk))
    assert event.details == {"route": "self_referral", "tasks": ["safeguarding_screen"]}


def test_unknown_route_is_refused(make_user, police_force):
    with pytest.raises(services.UnknownRoute):
        services.case_open(
            actor=None, person=PersonFactory(), owning_organisation=police_force, route="x"
        )


def test_moving_on_finishes_the_screen_and_opens_the_next_task(make_user, police_force, facts):
    officer = make_user(Role.INVESTIGATOR)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    services.case_transition(actor=officer, case=case, to_state=S.SAFEGUARDING_SCREEN)
    assert CaseTask.objects.get(case=case, kind="safeguarding_screen").done_at is None
    facts["safeguarding_screened"] = True
    services.case_transition(actor=officer, case=case, to_state=S.DEVICES_RECEIVED)
    screen = CaseTask.objects.get(case=case, kind="safeguarding_screen")
    assert screen.done_at is not None and screen.done_by_id == officer.pk
    forensic = CaseTask.objects.get(case=case, kind="forensic_examination")
    case.refresh_from_db()
    assert forensic.due == add_working_days(timezone.localdate(case.state_changed_at), 20)
    assert forensic.assigned_role == Role.FORENSIC_EXAMINER
    event = AuditEvent.objects.filter(scope="case.state").order_by("-seq").first()
    assert event.details == {
        "from": "safeguarding_screen",
        "to": "devices_received",
        "tasks_done": ["safeguarding_screen"],
        "tasks_opened": ["forensic_examination"],
    }


def test_task_queue_is_due_first_for_the_role_and_only_visible_cases(make_user, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    investigator = make_user(Role.INVESTIGATOR)
    first = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    second = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    CaseTask.objects.filter(case=second).update(due=dt.date(2026, 1, 2))
    CaseTask.objects.filter(case=first).update(due=dt.date(2026, 1, 5))
    services.case_open(actor=None, person=PersonFactory(), owning_organisation=police_force)
    queue = selectors.task_queue(officer)
    assert [(t.case_id, t.status) for t in queue] == [(second.pk, "overdue"), (first.pk, "overdue")]
    assert selectors.task_queue(investigator) == []
    assert selectors.task_queue(make_user(Role.ANALYST)) == []
    supervisor = make_user(Role.SUPERVISOR)
    CaseTask.objects.filter(case=first).update(assigned_user=supervisor)
    assert [t.case_id for t in selectors.task_queue(supervisor)] == [first.pk]


def test_home_page_shows_tasks_with_tags_in_bounded_queries(
    make_user, sign_in, police_force, django_assert_max_num_queries
):
    officer = make_user(Role.INTAKE_OFFICER)
    client = sign_in(officer)
    for _n in range(3):
        services.case_open(actor=officer, person=PersonFactory(), owning_organisation=police_force)
    with django_assert_max_num_queries(12) as few:
        html = client.get("/").content.decode()
    for _n in range(20):
        services.case_open(actor=officer, person=PersonFactory(), owning_organisation=police_force)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/").content.decode()
    assert html.count("Safeguarding screen") == 23
    assert "Due" in html


def test_mark_done_by_the_role_and_refused_for_others(make_user, sign_in, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    investigator = make_user(Role.INVESTIGATOR)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    services.case_team_add(actor=None, case=case, user=investigator)
    task = CaseTask.objects.get(case=case)
    url = f"/cases/{case.pk}/tasks/{task.pk}/done"
    response = client_with_reason(sign_in, investigator, case).post(url)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is None
    outsider = make_user(Role.INTAKE_OFFICER)
    assert sign_in(outsider).post(url).status_code == 404
    assert sign_in(make_user(Role.ANALYST)).post(url).status_code == 403
    assert sign_in(officer).get(url).status_code == 405
    # without a reason given for the case first, the reason is asked (a case page, 19.3)
    assert "/audit/reason" in sign_in(officer).post(url)["Location"]
    response = client_with_reason(sign_in, officer, case).post(url)
    assert response["Location"] == f"/cases/{case.pk}/"
    task.refresh_from_db()
    assert task.done_by_id == officer.pk
    event = AuditEvent.objects.get(scope="case.task")
    assert event.details == {
        "task": task.pk,
        "kind": "safeguarding_screen",
        "done": True,
        "by": "hand",
    }
    # Marking it done again (a second tab, a double click) changes and audits nothing.
    sign_in(officer).post(url)
    task.refresh_from_db()
    assert task.done_by_id == officer.pk
    assert AuditEvent.objects.filter(scope="case.task").count() == 1


def test_case_page_lists_tasks_with_due_tag(make_user, sign_in, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    CaseTask.objects.filter(case=case).update(due=dt.date(2026, 1, 2))
    html = client_with_reason(sign_in, officer, case).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="task-safeguarding_screen"' in html
    assert 'govuk-tag--red">Overdue' in html
    assert "2 January 2026" in html


def test_recorded_work_closes_its_task_once_with_one_audit_record(make_user, police_force, facts):
    officer = make_user(Role.INTAKE_OFFICER)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    assert services.case_tasks_reconcile(actor=officer, case=case) == []
    assert not AuditEvent.objects.filter(scope="case.task").exists()
    facts["safeguarding_screened"] = True
    assert services.case_tasks_reconcile(actor=officer, case=case) == ["safeguarding_screen"]
    task = CaseTask.objects.get(case=case)
    assert task.done_at is not None and task.done_by_id == officer.pk
    (event,) = AuditEvent.objects.filter(scope="case.task")
    assert event.details == {
        "tasks": [task.pk],
        "kinds": ["safeguarding_screen"],
        "done": True,
        "by": "work",
    }
    done_at = task.done_at
    assert services.case_tasks_reconcile(actor=officer, case=case) == []
    task.refresh_from_db()
    assert task.done_at == done_at
    assert AuditEvent.objects.filter(scope="case.task").count() == 1


def test_a_stage_does_not_open_a_task_for_work_already_recorded(make_user, police_force, facts):
    officer = make_user(Role.INVESTIGATOR)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    facts.update(safeguarding_screened=True, exhibits_received=1, exhibits_untriaged=0)
    facts["interview_recorded"] = True
    for state in (S.SAFEGUARDING_SCREEN, S.DEVICES_RECEIVED, S.FORENSIC_REVIEW, S.INTERVIEW):
        services.case_transition(actor=officer, case=case, to_state=state)
    kinds = set(
        CaseTask.objects.filter(case=case, done_at__isnull=True).values_list("kind", flat=True)
    )
    assert kinds == set()
    assert set(CaseTask.objects.filter(case=case).values_list("kind", flat=True)) == {
        "safeguarding_screen"
    }


def test_recording_a_safeguarding_screen_closes_the_screen_task(make_user, police_force):
    from comeforward.safeguarding.services import safeguarding_screen_record

    officer = make_user(Role.INTAKE_OFFICER)
    case = services.case_open(
        actor=officer, person=PersonFactory(), owning_organisation=police_force
    )
    safeguarding_screen_record(
        actor=officer,
        case=case,
        children_in_household=False,
        works_with_children=False,
        immediate_risk=False,
        suicide_or_self_harm_risk=False,
    )
    task = CaseTask.objects.get(case=case, kind="safeguarding_screen")
    assert task.done_at is not None and task.done_by_id == officer.pk
    assert selectors.task_queue(officer) == []
