"""The person page (reached through a case), adding details, and merging duplicates."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.people.models import Person
from comeforward.roles import Role

from ..factories import CaseFactory, PersonFactory
from ..web.matrix import assert_matrix
from .helpers import client_with_reason

pytestmark = pytest.mark.django_db


def test_person_pages_need_to_know(make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force)
    users = {role: make_user(role) for role in Role.values}
    case_team_add(actor=None, case=case, user=users[Role.INVESTIGATOR])
    case_team_add(actor=None, case=case, user=users[Role.INTAKE_OFFICER])
    case_partner_grant(
        actor=None,
        case=case,
        organisation=users[Role.INDEPENDENT_ASSESSOR].organisation,
        role=Role.INDEPENDENT_ASSESSOR,
    )
    police_team = {Role.INVESTIGATOR, Role.INTAKE_OFFICER, Role.SUPERVISOR}
    assert_matrix(
        {
            f"/cases/{case.pk}/person": frozenset(police_team | {Role.INDEPENDENT_ASSESSOR}),
            f"/cases/{case.pk}/person/add/alias": frozenset(police_team),
            f"/cases/{case.pk}/person/add/household": frozenset(police_team),
            f"/cases/{case.pk}/person/merge": frozenset({Role.SUPERVISOR}),
        },
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_person_page_asks_for_a_reason_first(make_user, sign_in, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    case_team_add(actor=None, case=case, user=officer)
    response = sign_in(officer).get(f"/cases/{case.pk}/person")
    assert response.status_code == 302
    assert response["Location"].startswith("/audit/reason?")


def test_unknown_detail_kind_is_404(make_user, sign_in, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    case_team_add(actor=None, case=case, user=officer)
    client = client_with_reason(sign_in, officer, case)
    assert client.get(f"/cases/{case.pk}/person/add/tattoos").status_code == 404


def test_add_household_child_and_occupation_shows_warnings(make_user, sign_in, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    case_team_add(actor=None, case=case, user=officer)
    client = client_with_reason(sign_in, officer, case)
    base = f"/cases/{case.pk}/person"
    response = client.post(
        f"{base}/add/household", {"name": "Child One", "relationship": "Daughter", "is_child": "on"}
    )
    assert response["Location"] == base
    client.post(
        f"{base}/add/occupation",
        {"title": "Scout leader", "is_volunteering": "on", "works_with_children": "on"},
    )
    html = client.get(base).content.decode()
    assert "Lives with children" in html
    assert "Works or volunteers with children" in html
    assert "Scout leader" in html and "(volunteering)" in html
    assert AuditEvent.objects.filter(scope="case.person", operation="consult").count() == 3


def test_invalid_identifier_is_shown_on_the_field(make_user, sign_in, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    case_team_add(actor=None, case=case, user=officer)
    client = client_with_reason(sign_in, officer, case)
    html = client.post(
        f"/cases/{case.pk}/person/add/identifier", {"kind": "ni", "value": "QQ123456C"}
    ).content.decode()
    assert "That is not a valid National Insurance number" in html
    assert case.person.identifiers.count() == 0


def test_address_dates_are_checked(make_user, sign_in, police_force):
    officer = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    case_team_add(actor=None, case=case, user=officer)
    html = (
        client_with_reason(sign_in, officer, case)
        .post(
            f"/cases/{case.pk}/person/add/address",
            {"line_1": "1 Road", "lived_from": "1/5/2024", "lived_to": "1/1/2024"},
        )
        .content.decode()
    )
    assert "The end date must be after the start date" in html


def test_supervisor_merges_a_duplicate_from_another_case(make_user, sign_in, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    dob = dt.date(1984, 3, 14)
    case = CaseFactory(owning_organisation=police_force, person=PersonFactory(date_of_birth=dob))
    other = CaseFactory(owning_organisation=police_force, person=PersonFactory(date_of_birth=dob))
    client = client_with_reason(sign_in, supervisor, case)
    url = f"/cases/{case.pk}/person/merge"
    html = client.post(url, {"other_reference": "CF-1999-000001", "reason": "x"}).content.decode()
    assert "There is no case with that reference you can see" in html
    html = client.post(url, {"other_reference": case.reference, "reason": "x"}).content.decode()
    assert "A record cannot be merged into itself" in html
    response = client.post(url, {"other_reference": other.reference.lower(), "reason": "Same PNC"})
    assert response["Location"] == f"/cases/{case.pk}/person"
    merged = Person.objects.get(pk=other.person_id)
    assert merged.merged_into_id == case.person_id
    assert AuditEvent.objects.get(scope="person.merge").operation == "combine"
    html = client.get(f"/cases/{case.pk}/person").content.decode()
    assert f"merged with P{merged.pk}" in html


def test_name_and_date_of_birth_can_be_completed_later(make_user, sign_in, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    person = PersonFactory(given_names="", family_name="Onlyname", date_of_birth=None)
    case = CaseFactory(owning_organisation=police_force, person=person)
    case_team_add(actor=None, case=case, user=officer)
    client = client_with_reason(sign_in, officer, case)
    url = f"/cases/{case.pk}/person/add/identity"
    assert 'value="Onlyname"' in client.get(url).content.decode()
    response = client.post(
        url, {"given_names": "Sam", "family_name": "Onlyname", "date_of_birth": "2/1/1990"}
    )
    assert response["Location"] == f"/cases/{case.pk}/person"
    person.refresh_from_db()
    assert (person.given_names, person.date_of_birth) == ("Sam", dt.date(1990, 1, 2))
    assert sorted(person.name_words.values_list("word", flat=True)) == ["onlyname", "sam"]
    event = AuditEvent.objects.filter(scope="person.identity", operation="alter").get()
    assert event.details == {
        "before": {"given_names": "", "family_name": "Onlyname", "date_of_birth": None}
    }
    html = client.post(url, {"given_names": "", "family_name": ""}).content.decode()
    assert "There is a problem" in html
