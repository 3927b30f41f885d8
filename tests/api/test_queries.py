"""Bounded query counts: a page of a list costs the same number of queries whatever the
number of rows on it or in the database (issue 18.6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comeforward.cases.services import case_open
from comeforward.roles import Role

from ..factories import PersonFactory
from ..register.conftest import open_record

pytestmark = pytest.mark.django_db

#: The most queries one list or read call makes: client lookup, the page (or the record and
#: its parts) and the audit record (lock, chain head, insert, savepoints).
MAX_QUERIES = 14


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def _seed(police_force, n: int) -> None:
    for _ in range(n):
        case = case_open(
            actor=None, person=PersonFactory(family_name="Family"), owning_organisation=police_force
        )
        open_record(case, dt.date.today() - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases?limit=100",
        "/api/v1/register/records?limit=100",
        "/api/v1/tasks?limit=100",
        "/api/v1/people?name=Family",
    ],
)
def test_list_queries_do_not_grow_with_rows(make_client, api, police_force, url):
    _c, token = make_client(Role.SUPERVISOR)
    _seed(police_force, 2)
    few = _count(api(token), url)
    _seed(police_force, 15)
    many = _count(api(token), url)
    assert few == many <= MAX_QUERIES


def test_read_queries_are_bounded(make_client, api, police_force, django_assert_max_num_queries):
    _c, token = make_client(Role.SUPERVISOR)
    _seed(police_force, 3)
    case = case_open(actor=None, person=PersonFactory(), owning_organisation=police_force)
    case_url = f"/api/v1/cases/{case.pk}"
    with django_assert_max_num_queries(MAX_QUERIES):
        assert api(token).get(case_url).status_code == 200
    _om, om_token = make_client(Role.OFFENDER_MANAGER, name="OM")
    record = open_record(case, dt.date.today() - dt.timedelta(days=1))
    with django_assert_max_num_queries(MAX_QUERIES):
        assert api(om_token).get(f"/api/v1/register/records/{record.pk}").status_code == 200
