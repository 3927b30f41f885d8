"""Issue 11.1 leftover: a person attached to another force's person before the intake
need-to-know fix. Addresses and contact details are shown only to the force holding them
(the owner of the person's first case); everyone else reads "held by another force"; the
review command lists such records without names or addresses. Two forces, each viewer."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from comeforward.audit.access import remember_reason
from comeforward.cases.services import case_team_add
from comeforward.people import selectors, services
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADDRESS, PHONE = "7 Holder Street", "07700 900123"


@pytest.fixture
def legacy(make_user, police_force):
    """Testshire opened the first case on the person and recorded the address and phone;
    Otherton later attached its own case to the same person (the pre-fix intake hole)."""
    other = OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )
    person = PersonFactory(given_names="Alex", family_name="Example")
    first = CaseFactory(person=person, owning_organisation=police_force)
    services.person_address_add(actor=None, person=person, line_1=ADDRESS)
    services.person_contact_add(actor=None, person=person, kind="phone", value=PHONE)
    second = CaseFactory(person=person, owning_organisation=other)
    viewers = {}
    for label, force, case in (("testshire", police_force, first), ("otherton", other, second)):
        for role in (Role.SUPERVISOR, Role.INVESTIGATOR):
            user = make_user(role, organisation=force)
            if role == Role.INVESTIGATOR:
                case_team_add(actor=None, case=case, user=user)
            viewers[f"{label}:{role}"] = (user, case)
    return {"person": person, "forces": (police_force, other), "viewers": viewers}


def _page(sign_in, user, case) -> str:
    client = sign_in(user)
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing need-to-know")
    session.save()
    response = client.get(f"/cases/{case.pk}/person")
    assert response.status_code == 200
    return response.content.decode()


def test_two_force_matrix_of_the_person_page(legacy, sign_in):
    failures = []
    for label, (user, case) in legacy["viewers"].items():
        html = _page(sign_in, user, case)
        holder = label.startswith("testshire")
        shown = ADDRESS in html and PHONE in html
        withheld = "Held by another force" in html and "cross-force check" in html
        if holder and not (shown and not withheld):
            failures.append(f"{label}: should see the address and phone")
        if not holder and (ADDRESS in html or PHONE in html or not withheld):
            failures.append(f"{label}: must see only 'held by another force'")
    assert not failures, "\n".join(failures)


def test_the_selector_fails_closed(legacy, make_user):
    person = legacy["person"]
    testshire, otherton = legacy["forces"]
    assert selectors.person_contact_holder(person) == testshire.pk
    own = selectors.person_profile_for(make_user(Role.SUPERVISOR, organisation=testshire), person)
    assert [a.line_1 for a in own["addresses"]] == [ADDRESS] and not own["contacts_withheld"]
    other = selectors.person_profile_for(make_user(Role.SUPERVISOR, organisation=otherton), person)
    assert (other["addresses"], other["contacts"], other["contacts_withheld"]) == ([], [], True)
    nobody = selectors.person_profile_for(None, person)
    assert nobody["contacts_withheld"] and nobody["addresses"] == []
    orphan = PersonFactory()
    services.person_address_add(actor=None, person=orphan, line_1="No case lane")
    assert selectors.person_contact_holder(orphan) is None
    assert (
        selectors.person_profile_for(make_user(Role.SUPERVISOR, organisation=testshire), orphan)[
            "addresses"
        ]
        == []
    )


def test_the_holder_is_found_through_a_merged_record(legacy, make_user):
    testshire, otherton = legacy["forces"]
    survivor = PersonFactory()
    CaseFactory(person=survivor, owning_organisation=otherton)
    services.person_merge(actor=None, survivor=survivor, merged=legacy["person"], reason="Same")
    # the merged record's first case (Testshire's) is older than the survivor's own case
    assert selectors.person_contact_holder(survivor) == testshire.pk


def _review() -> dict:
    out = io.StringIO()
    call_command("people_cross_force_review", stdout=out)
    return json.loads(out.getvalue())


def test_the_review_lists_ids_forces_and_counts_only(legacy, police_force):
    CaseFactory(owning_organisation=police_force)  # a one-force person: not listed
    CaseFactory(person=legacy["person"], owning_organisation=police_force)
    answer = _review()
    assert answer["count"] == 1
    (entry,) = answer["people"]
    person = legacy["person"]
    assert entry == {
        "person_id": person.pk,
        "record_ids": [person.pk],
        "forces": sorted([police_force.code, "otherton"]),
        "cases_by_force": {police_force.code: 2, "otherton": 1},
        "case_ids": sorted(entry["case_ids"]),
        "contact_holder": police_force.code,
        "addresses": 1,
        "contact_details": 1,
    }
    assert len(entry["case_ids"]) == 3
    text = json.dumps(answer)
    for secret in (ADDRESS, PHONE, "Alex", "Example"):
        assert secret not in text


def test_the_review_is_empty_without_cross_force_people(police_force):
    CaseFactory(owning_organisation=police_force)
    assert _review() == {"count": 0, "people": []}


def test_only_the_holder_may_add_addresses_and_contacts(legacy, make_user):
    """Posting straight to add-address was the last gap: the service refuses a force that does
    not hold the contact details, and nothing is written."""
    person = legacy["person"]
    testshire, otherton = legacy["forces"]
    before = (person.addresses.count(), person.contacts.count())
    outsider = make_user(Role.SUPERVISOR, organisation=otherton)
    with pytest.raises(services.PersonContactsHeldElsewhere):
        services.person_address_add(actor=outsider, person=person, line_1="1 Elsewhere Road")
    with pytest.raises(services.PersonContactsHeldElsewhere):
        services.person_contact_add(actor=outsider, person=person, kind="phone", value="01632")
    assert (person.addresses.count(), person.contacts.count()) == before
    holder = make_user(Role.SUPERVISOR, organisation=testshire)
    services.person_address_add(actor=holder, person=person, line_1="2 Holder Road")
    assert person.addresses.count() == before[0] + 1
    orphan = PersonFactory()
    with pytest.raises(services.PersonContactsHeldElsewhere):
        services.person_address_add(actor=holder, person=orphan, line_1="No case lane")


def test_a_post_to_add_address_by_the_other_force_writes_nothing(legacy, sign_in):
    user, case = legacy["viewers"][f"otherton:{Role.INVESTIGATOR}"]
    client = sign_in(user)
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing need-to-know")
    session.save()
    before = legacy["person"].addresses.count()
    response = client.post(
        f"/cases/{case.pk}/person/add/address", {"line_1": "3 Posted Street", "postcode": ""}
    )
    assert response.status_code in (200, 302, 403)
    assert legacy["person"].addresses.count() == before
    assert "Another force holds this person" in response.content.decode()
