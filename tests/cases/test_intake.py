"""Record a self-referral: only a name needed, duplicate warning first, case opened."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.models import Case, CaseTask
from comeforward.people.models import Person
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory, PersonFactory
from ..web.matrix import assert_matrix

pytestmark = pytest.mark.django_db


def _next_step(case) -> str:
    """After intake: the optional equality questions (issue 14.5), unless already answered
    for the person; then the case page."""
    return f"/cases/{case.pk}/statistics/equality?from=intake"


def test_intake_page_permissions(make_user, sign_in):
    users = {role: make_user(role) for role in Role.values}
    allowed = frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR})
    assert_matrix({"/cases/intake": allowed}, users, sign_in)
    response = sign_in(users[Role.ANALYST]).post(
        "/cases/intake", {"family_name": "X", "route": "self_referral"}
    )
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_only_a_name_is_needed(make_user, sign_in):
    officer = make_user(Role.INTAKE_OFFICER)
    response = sign_in(officer).post(
        "/cases/intake", {"family_name": "Newperson", "route": "self_referral"}
    )
    case = Case.objects.get()
    assert response["Location"] == _next_step(case)
    assert (case.person.family_name, case.person.given_names, case.person.date_of_birth) == (
        "Newperson",
        "",
        None,
    )
    assert case.reference.startswith(f"CF-{case.created_at.year}-") and len(case.reference) == 14
    assert case.owning_organisation_id == officer.organisation_id
    assert case.team.get().user_id == officer.pk
    assert CaseTask.objects.get(case=case).kind == "safeguarding_screen"
    assert AuditEvent.objects.filter(scope="person.identity", operation="collect").count() == 1


def test_missing_name_and_route_are_explained(make_user, sign_in):
    page = sign_in(make_user(Role.INTAKE_OFFICER)).post("/cases/intake", {}).content.decode()
    html = unescape(page)
    assert "Enter the person's name" in html
    assert "Select how the referral came in" in html
    assert "There is a problem" in html
    assert Person.objects.count() == 0


def test_bad_date_is_explained(make_user, sign_in):
    html = (
        sign_in(make_user(Role.INTAKE_OFFICER))
        .post("/cases/intake", {"family_name": "X", "date_of_birth": "31/2/1980", "route": "other"})
        .content.decode()
    )
    assert "Date of birth must be a real date, like 31/3/1980" in html
    assert Case.objects.count() == 0


def test_duplicate_warning_then_use_the_existing_person(make_user, sign_in, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    existing = PersonFactory(
        given_names="Alex", family_name="Example", date_of_birth=dt.date(1984, 3, 14)
    )
    known = CaseFactory(person=existing, owning_organisation=police_force)
    hidden = PersonFactory(
        given_names="A", family_name="Exampel", date_of_birth=dt.date(1984, 3, 14)
    )
    CaseFactory(person=hidden, owning_organisation=police_force)
    client = sign_in(officer)
    data = {
        "given_names": "alex",
        "family_name": "example",
        "date_of_birth": "14/3/1984",
        "route": "self_referral",
    }
    html = client.post("/cases/intake", data).content.decode()
    assert 'data-testid="duplicate-warning"' in html
    assert f"Alex Example, born 14 March 1984 (record P{existing.pk})" in html
    assert "Same name and date of birth" in html
    assert known.reference not in html  # the officer cannot see that case
    assert "No case you can see: ask a supervisor." in html
    assert f"record P{hidden.pk}" in html
    assert Case.objects.count() == 2

    html = client.post("/cases/intake", {**data, "decision": "checked"}).content.decode()
    assert "Select one of the records, or a new person record" in html
    assert Case.objects.count() == 2

    response = client.post(
        "/cases/intake", {**data, "decision": "checked", "duplicate": str(existing.pk)}
    )
    case = Case.objects.exclude(pk__in=[known.pk, hidden.cases.get().pk]).get()
    assert response["Location"] == _next_step(case)
    assert case.person_id == existing.pk
    assert Person.objects.count() == 2
    assert 'data-testid="cross-force-check"' not in html


def test_duplicate_warning_then_create_a_new_person(make_user, sign_in, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    CaseFactory(
        owning_organisation=police_force,
        person=PersonFactory(
            given_names="Alex", family_name="Example", date_of_birth=dt.date(1984, 3, 14)
        ),
    )
    data = {
        "given_names": "Alex",
        "family_name": "Example",
        "date_of_birth": "1984-03-14",
        "route": "intelligence_lead",
        "decision": "checked",
        "duplicate": "new",
    }
    sign_in(officer).post("/cases/intake", data)
    case = Case.objects.get(team__user=officer)
    assert case.route == "intelligence_lead"
    assert Person.objects.filter(family_name="Example").count() == 2


def test_a_person_who_is_not_a_candidate_cannot_be_chosen(make_user, sign_in, police_force):
    officer = make_user(Role.INTAKE_OFFICER)
    PersonFactory(given_names="Alex", family_name="Example", date_of_birth=dt.date(1984, 3, 14))
    unrelated = CaseFactory(
        owning_organisation=police_force, person=PersonFactory(given_names="Zed")
    ).person
    response = sign_in(officer).post(
        "/cases/intake",
        {
            "given_names": "Alex",
            "family_name": "Example",
            "date_of_birth": "14/3/1984",
            "route": "other",
            "decision": "checked",
            "duplicate": str(unrelated.pk),
        },
    )
    assert response.status_code == 404
    assert Case.objects.count() == 1


# --- need-to-know: another force's people (issue 11.1; docs/need-to-know.md) -----------------


def _other_force_person(**names):
    other_force = OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )
    person = PersonFactory(
        given_names="Alex", family_name="Example", date_of_birth=dt.date(1984, 3, 14), **names
    )
    case = CaseFactory(person=person, owning_organisation=other_force)
    return person, case


INTAKE = {
    "given_names": "Alex",
    "family_name": "Example",
    "date_of_birth": "14/3/1984",
    "route": "self_referral",
}


def test_another_forces_person_is_not_shown_only_a_cross_force_check(make_user, sign_in):
    officer = make_user(Role.INTAKE_OFFICER)
    foreign, foreign_case = _other_force_person()
    html = sign_in(officer).post("/cases/intake", INTAKE).content.decode()
    assert 'data-testid="cross-force-check"' in html
    assert "A cross-force check is needed" in unescape(html)
    assert 'data-testid="duplicate-warning"' not in html
    assert not re.search(rf"\bP{foreign.pk}\b", html)  # not inside a CSRF token
    assert "14 March 1984" not in html
    assert "Otherton" not in html
    assert foreign_case.reference not in html
    assert Case.objects.count() == 1
    event = AuditEvent.objects.get(scope="person.cross_force_check")
    assert (event.operation, event.actor_id) == ("consult", officer.pk)
    assert event.details == {
        "matches": [{"person": foreign.pk, "strength": "exact", "organisations": ["otherton"]}]
    }
    consult = AuditEvent.objects.get(scope="person.duplicate_check")
    assert consult.details == {"candidates": []}


def test_after_the_cross_force_notice_the_referral_is_recorded_as_a_new_person(make_user, sign_in):
    officer = make_user(Role.INTAKE_OFFICER)
    foreign, _ = _other_force_person()
    client = sign_in(officer)
    html = client.post("/cases/intake", INTAKE).content.decode()
    assert 'name="duplicate" value="new"' in html
    response = client.post("/cases/intake", {**INTAKE, "decision": "checked", "duplicate": "new"})
    case = Case.objects.get(owning_organisation=officer.organisation)
    assert response["Location"] == _next_step(case)
    assert case.person_id != foreign.pk


def test_own_force_candidates_are_shown_beside_the_cross_force_notice(
    make_user, sign_in, police_force
):
    officer = make_user(Role.INTAKE_OFFICER)
    foreign, _ = _other_force_person()
    own = CaseFactory(
        owning_organisation=police_force,
        person=PersonFactory(
            given_names="Alex", family_name="Example", date_of_birth=dt.date(1984, 3, 14)
        ),
    ).person
    html = sign_in(officer).post("/cases/intake", INTAKE).content.decode()
    assert f"(record P{own.pk})" in html
    assert not re.search(rf"\bP{foreign.pk}\b", html)  # not inside a CSRF token
    assert 'data-testid="cross-force-check"' in html


def test_a_weak_match_in_another_force_calls_for_no_check(make_user, sign_in):
    officer = make_user(Role.INTAKE_OFFICER)
    other_force = OrganisationFactory(code="otherton", kind=OrganisationType.POLICE_FORCE)
    CaseFactory(
        owning_organisation=other_force,
        person=PersonFactory(given_names="Alex", family_name="Example", date_of_birth=None),
    )
    response = sign_in(officer).post("/cases/intake", INTAKE)
    assert response.status_code == 302  # nothing to show: the case is opened
    assert not AuditEvent.objects.filter(scope="person.cross_force_check").exists()


def test_posting_another_forces_person_id_is_refused(make_user, sign_in):
    officer = make_user(Role.INTAKE_OFFICER)
    foreign, _ = _other_force_person()
    response = sign_in(officer).post(
        "/cases/intake", {**INTAKE, "decision": "checked", "duplicate": str(foreign.pk)}
    )
    assert response.status_code == 404
    assert Case.objects.filter(person=foreign).count() == 1


def test_intake_service_refuses_another_forces_person(make_user):
    from comeforward.cases.services import intake_record
    from comeforward.people.services import PersonNotAvailable

    officer = make_user(Role.INTAKE_OFFICER)
    foreign, _ = _other_force_person()
    with pytest.raises(PersonNotAvailable) as refusal:
        intake_record(actor=officer, route="self_referral", person=foreign)
    assert refusal.value.code == "PERSON_NOT_AVAILABLE"
    assert Case.objects.filter(person=foreign).count() == 1
    assert not AuditEvent.objects.filter(scope="case").exists()
