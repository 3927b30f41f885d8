"""The cases list (issues 20.4, 20.7): filters by stage, team, officer and overdue task,
sort by any column, pages of 25, decision and caution dates on every row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.cases import selectors
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.models import CaseTask
from comeforward.cases.selectors import CaseListFilters, case_list_page
from comeforward.cases.services import case_team_add
from comeforward.roles import Role

from ..factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _case(force, reference, state=S.REFERRED, family_name="Smith", changed_days_ago=0):
    return CaseFactory(
        owning_organisation=force,
        reference=reference,
        state=state,
        person=PersonFactory(family_name=family_name),
        state_changed_at=timezone.now() - dt.timedelta(days=changed_days_ago),
    )


def test_filters_combine_and_sort(make_user, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    officer = make_user(Role.INVESTIGATOR, full_name="Ivy Investigator")
    a = _case(police_force, "CF-2026-000001", S.INTERVIEW, "Adams", 3)
    b = _case(police_force, "CF-2026-000002", S.INTERVIEW, "Brown", 1)
    c = _case(police_force, "CF-2026-000003", S.DECISION, "Clark", 2)
    case_team_add(actor=None, case=a, user=officer)
    case_team_add(actor=None, case=c, user=officer)
    CaseTask.objects.create(
        case=b,
        kind="interview",
        label="Interview",
        assigned_role=Role.INVESTIGATOR,
        due=timezone.localdate() - dt.timedelta(days=1),
    )
    CaseTask.objects.create(
        case=c,
        kind="decision",
        label="Decision",
        assigned_role=Role.SUPERVISOR,
        due=timezone.localdate() - dt.timedelta(days=1),
        done_at=timezone.now(),
    )

    def refs(user=supervisor, **filters):
        return [
            case.reference[-1] for case in case_list_page(user, CaseListFilters(**filters)).cases
        ]

    assert refs() == ["2", "3", "1"]  # latest change first by default
    assert refs(sort="changed", descending=False) == ["1", "3", "2"]
    assert refs(sort="name", descending=False) == ["1", "2", "3"]
    assert refs(stage=S.INTERVIEW) == ["2", "1"]
    assert refs(officer_id=officer.pk) == ["3", "1"]
    assert refs(overdue=True) == ["2"]  # a done task is never overdue
    assert refs(stage=S.INTERVIEW, officer_id=officer.pk) == ["1"]
    assert refs(user=officer) == ["3", "1"]  # need-to-know first
    assert refs(user=officer, mine=True) == ["3", "1"]
    assert refs(mine=True) == []  # the supervisor is on no case team


def test_pages_of_25_in_bounded_queries(make_user, police_force, django_assert_max_num_queries):
    supervisor = make_user(Role.SUPERVISOR)
    for n in range(30):
        _case(police_force, f"CF-2026-{n:06d}", changed_days_ago=n)
    with django_assert_max_num_queries(2):
        first = case_list_page(supervisor, CaseListFilters())
    assert (first.total, first.pages, len(first.cases)) == (30, 2, 25)
    second = case_list_page(supervisor, CaseListFilters(page=2))
    assert [c.reference for c in second.cases] == [f"CF-2026-{n:06d}" for n in range(25, 30)]
    beyond = case_list_page(supervisor, CaseListFilters(page=9))
    assert beyond.page == 2


def test_list_page_filters_sorts_pages_and_shows_dates(make_user, sign_in, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    for n in range(27):
        _case(
            police_force,
            f"CF-2026-{n:06d}",
            S.INTERVIEW if n % 2 else S.REFERRED,
            changed_days_ago=n,
        )
    client = sign_in(supervisor)
    html = client.get("/cases/").content.decode()
    assert "27 cases, page 1 of 2" in html
    assert "Decision date" in html and "Caution date" in html
    assert html.count("None yet") == 25
    assert 'aria-label="Page 2"' in html and 'rel="next"' in html
    html = client.get(
        "/cases/", {"stage": "interview", "sort": "reference", "order": "asc"}
    ).content.decode()
    assert "13 cases" in html
    rows = html.split('data-testid="case-table"')[1]
    assert rows.index("CF-2026-000001") < rows.index("CF-2026-000003")
    assert 'aria-sort="ascending"' in html
    bad = client.get("/cases/", {"stage": "nonsense", "officer": "x", "page": "0"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "There is a problem" in text
    assert "27 cases" in text  # an invalid filter is shown as an error, the list unfiltered


def test_decision_and_caution_dates_come_from_the_decisions_app(make_user, police_force):
    from comeforward.decisions.models import Caution, Decision, Recommendation

    supervisor = make_user(Role.SUPERVISOR)
    case = _case(police_force, "CF-2026-000009", S.CAUTIONED)
    rec = Recommendation.objects.create(
        case=case, policy_name="p", policy_version="1", outcome="divert", result={}, facts={}
    )
    decided = timezone.now() - dt.timedelta(days=3)
    refused = Decision.objects.create(
        case=case,
        recommendation=rec,
        outcome="divert",
        reason_code="other",
        departs_from_recommendation=False,
        approval_required=True,
        status="refused",
        decided_by=supervisor,
        decided_at=timezone.now(),
    )
    decision = Decision.objects.create(
        case=case,
        recommendation=rec,
        outcome="divert",
        reason_code="other",
        departs_from_recommendation=False,
        approval_required=True,
        status="final",
        decided_by=supervisor,
        decided_at=decided,
    )
    Caution.objects.create(
        case=case,
        decision=decision,
        kind="simple",
        offences=[],
        offence_date=dt.date(2025, 1, 1),
        caution_date=dt.date(2026, 2, 3),
        administered_by=supervisor,
    )
    assert refused.decided_at > decided
    (row,) = selectors.with_key_dates(selectors.cases_visible_to(supervisor)).filter(pk=case.pk)
    assert (row.decided_on, row.cautioned_on) == (decided, dt.date(2026, 2, 3))
