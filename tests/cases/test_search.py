"""Search across the cases and people a user may see, with a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.cases import selectors
from comeforward.cases.services import case_team_add
from comeforward.people import services as people_services
from comeforward.roles import Role

from ..factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, police_force):
    officer = make_user(Role.INVESTIGATOR)
    supervisor = make_user(Role.SUPERVISOR)
    alex = PersonFactory(
        given_names="Alex James", family_name="O'Example", date_of_birth=dt.date(1984, 3, 14)
    )
    jordan = PersonFactory(
        given_names="Jordan", family_name="Sample", date_of_birth=dt.date(1979, 11, 2)
    )
    people_services.person_alias_add(
        actor=None, person=jordan, given_names="Jay", family_name="Nickname"
    )
    people_services.person_identifier_add(actor=None, person=jordan, kind="ni", value="AB123456C")
    mine = CaseFactory(person=alex, owning_organisation=police_force, reference="CF-2024-000101")
    theirs = CaseFactory(
        person=jordan, owning_organisation=police_force, reference="CF-2024-000202"
    )
    case_team_add(actor=None, case=mine, user=officer)
    return {"officer": officer, "supervisor": supervisor, "mine": mine, "theirs": theirs}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CF-2024-000101", ["mine"]),
        ("cf-2024-0002", ["theirs"]),
        ("CF-2024", ["theirs", "mine"]),
        ("oexample", ["mine"]),
        ("O'Example", ["mine"]),
        ("ale oex", ["mine"]),  # every word starts a word of the name
        ("james", ["mine"]),  # second given name
        ("xample", []),  # not the start of a word
        ("Nickname", ["theirs"]),  # alias
        ("jay nick", ["theirs"]),
        ("14/3/1984", ["mine"]),
        ("1979-11-02", ["theirs"]),
        ("ab 123456 c", ["theirs"]),  # National Insurance number
        ("", []),
    ],
)
def test_supervisor_search(world, query, expected):
    found = selectors.case_search(world["supervisor"], query=query)
    assert [case.pk for case in found] == [world[key].pk for key in expected]


def test_search_only_finds_visible_cases(world, make_user):
    assert [c.pk for c in selectors.case_search(world["officer"], query="CF-2024")] == [
        world["mine"].pk
    ]
    assert selectors.case_search(world["officer"], query="Nickname") == []
    assert selectors.case_search(make_user(Role.ANALYST), query="CF-2024") == []


def test_search_is_bounded(world, police_force):
    for _n in range(5):
        CaseFactory(person=PersonFactory(family_name="Many"), owning_organisation=police_force)
    assert len(selectors.case_search(world["supervisor"], query="many", limit=3)) == 3


def test_search_page_queries_do_not_grow_with_rows(
    world, sign_in, police_force, django_assert_max_num_queries
):
    client = sign_in(world["supervisor"])
    CaseFactory(person=PersonFactory(family_name="Many"), owning_organisation=police_force)
    with django_assert_max_num_queries(12) as baseline:
        client.get("/cases/search?q=Many")
    for _n in range(29):
        CaseFactory(person=PersonFactory(family_name="Many"), owning_organisation=police_force)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = client.get("/cases/search?q=Many").content.decode()
    assert "30 results" in html


def test_case_list_queries_do_not_grow_with_rows(
    world, sign_in, police_force, django_assert_max_num_queries
):
    client = sign_in(world["supervisor"])
    with django_assert_max_num_queries(12) as baseline:
        client.get("/cases/")
    for _n in range(30):
        CaseFactory(owning_organisation=police_force)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = client.get("/cases/").content.decode()
    # Pages of 25 (issue 20.7): the first page is full and says there is a second.
    assert html.split('data-testid="case-table"')[1].count('<tr class="govuk-table__row">') == 26
    assert "page 1 of 2" in html


def test_case_page_queries_do_not_grow_with_history(
    world, sign_in, police_force, django_assert_max_num_queries
):
    from comeforward.cases.services import case_demo_set_state
    from tests.cases.helpers import client_with_reason

    case = world["mine"]
    client = client_with_reason(sign_in, world["officer"], case)
    # The bound covers the panels and facts other apps contribute; the point is that it
    # does not grow with the case's history.
    with django_assert_max_num_queries(60) as baseline:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    for state in ["safeguarding_screen", "devices_received", "forensic_review", "interview"] * 3:
        case_demo_set_state(case=case, state=state)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_many_name_matches_fall_back_to_a_subquery(world, police_force, monkeypatch):
    from comeforward.people import selectors as people_selectors

    monkeypatch.setattr(people_selectors, "NAME_MATCH_LIST_LIMIT", 2)
    many = [
        CaseFactory(person=PersonFactory(family_name="Many"), owning_organisation=police_force)
        for _ in range(4)
    ]
    assert not isinstance(people_selectors.person_ids_matching_name("many"), list)
    found = selectors.case_search(world["supervisor"], query="many")
    assert [c.pk for c in found] == [c.pk for c in reversed(many)]


def test_renamed_person_is_found_by_the_new_name_only(world):
    person = world["mine"].person
    person.family_name = "Renamed"
    person.save()
    assert selectors.case_search(world["supervisor"], query="oexample") == []
    assert [c.pk for c in selectors.case_search(world["supervisor"], query="renamed")] == [
        world["mine"].pk
    ]


def test_exhibit_reference_through_an_extensions_search(world, case_extensions):
    """Search adds the cases the extensions' ``search(user, query)`` hits name (the exhibits
    extension answers exhibit references; cases cannot read exhibits' models)."""
    from comeforward.cases.extensions import CaseExtension, SearchHit

    calls = []

    class Exhibits(CaseExtension):
        key = "exhibits"

        def search(self, user, query):
            calls.append((user.pk, query))
            if query != "NP-EX-0042":
                return []
            return [SearchHit("Exhibit", "/", "exhibit", case_id=world["theirs"].pk)]

    case_extensions.use(Exhibits())
    found = selectors.case_search(world["supervisor"], query="NP-EX-0042")
    assert [c.pk for c in found] == [world["theirs"].pk]
    assert calls == [(world["supervisor"].pk, "NP-EX-0042")]
    # the lookup cannot widen access: the officer does not see that case
    assert selectors.case_search(world["officer"], query="NP-EX-0042") == []


def test_search_finds_a_case_by_its_real_exhibit_reference(world, make_user):
    """The real ``exhibits.selectors.case_ids_for_exhibit_reference``: found for a user who
    may see the case (any letter case), never for one who may not."""
    from comeforward.exhibits.selectors import case_ids_for_exhibit_reference
    from comeforward.exhibits.services import exhibit_record

    exhibit_record(
        actor=make_user(Role.INVESTIGATOR),  # exhibits are recorded by intake or investigators
        case=world["theirs"],
        reference="np-ex-0042",
        kind="laptop",
        description="Grey laptop",
        storage_location="Store 1",
    )
    found = selectors.case_search(world["supervisor"], query="NP-EX-0042")
    assert [c.pk for c in found] == [world["theirs"].pk]
    assert [c.pk for c in selectors.case_search(world["supervisor"], query="np-ex-0042")] == [
        world["theirs"].pk
    ]
    assert selectors.case_search(world["officer"], query="NP-EX-0042") == []
    assert case_ids_for_exhibit_reference(world["officer"], "NP-EX-0042") == []
    assert case_ids_for_exhibit_reference(world["supervisor"], " np-ex-0042 ") == [
        world["theirs"].pk
    ]
    assert case_ids_for_exhibit_reference(world["supervisor"], "NP-EX-0043") == []
    assert case_ids_for_exhibit_reference(world["supervisor"], "  ") == []
