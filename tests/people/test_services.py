"""People services and selectors: audit records, duplicate check, merge, safeguarding reads."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.people import selectors, services
from comeforward.people.domain.identifiers import InvalidIdentifier
from comeforward.people.domain.matching import MatchStrength, NameRecord
from comeforward.people.models import Address, Person
from comeforward.roles import OrganisationType

from ..factories import CaseFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
DOB = dt.date(1984, 3, 14)


def test_person_create_needs_only_a_name_and_is_audited(make_user):
    actor = make_user()
    person = services.person_create(
        actor=actor, given_names=" Alex ", family_name="O'Example", date_of_birth=None
    )
    assert (person.given_names, person.family_name, person.date_of_birth) == (
        "Alex",
        "O'Example",
        None,
    )
    assert person.search_name == " alex oexample "
    assert person.family_soundex == "O251"
    event = AuditEvent.objects.get(scope="person.identity")
    assert (event.operation, event.subject_id, event.actor_id) == (
        "collect",
        str(person.pk),
        actor.pk,
    )


def test_person_create_without_any_name_is_refused(make_user):
    with pytest.raises(services.PersonNameRequired):
        services.person_create(
            actor=make_user(), given_names=" ", family_name="", date_of_birth=None
        )
    assert Person.objects.count() == 0


def test_duplicate_check_finds_people_and_aliases_and_is_logged(make_user, police_force):
    actor = make_user()
    same = PersonFactory(given_names="Alex", family_name="Example", date_of_birth=DOB)
    similar = PersonFactory(given_names="A", family_name="Exampel", date_of_birth=DOB)
    other = PersonFactory(given_names="Alex", family_name="Walker", date_of_birth=DOB)
    aliased = PersonFactory(given_names="Jo", family_name="Bloggs", date_of_birth=DOB)
    services.person_alias_add(
        actor=actor, person=aliased, given_names="Alex", family_name="Example"
    )
    merged = PersonFactory(given_names="Alex", family_name="Example", date_of_birth=DOB)
    services.person_merge(actor=actor, survivor=same, merged=merged, reason="Same person")
    # ``same`` belongs to the force through the case on the record merged into it.
    for person in (merged, similar, other, aliased):
        CaseFactory(person=person, owning_organisation=police_force)

    check = services.person_duplicate_check(
        actor=actor, given_names="alex", family_name="EXAMPLE", date_of_birth=DOB
    )
    found = check.candidates
    assert check.cross_force_check_needed is False
    assert [(c.person.pk, c.match.strength) for c in found] == sorted(
        [(same.pk, MatchStrength.EXACT), (aliased.pk, MatchStrength.EXACT)]
    ) + [(similar.pk, MatchStrength.LIKELY)]
    assert other.pk not in [c.person.pk for c in found]
    event = AuditEvent.objects.get(scope="person.duplicate_check")
    assert event.operation == "consult"
    assert event.justification == "Duplicate check before recording a person (data quality)"
    assert event.details == {"candidates": [c.person.pk for c in found]}


def test_duplicate_check_without_date_of_birth_uses_soundex_and_initial():
    PersonFactory(given_names="Sam", family_name="Jones", date_of_birth=None)
    PersonFactory(given_names="Sam", family_name="Jones", date_of_birth=DOB)
    PersonFactory(given_names="Tom", family_name="Jones", date_of_birth=DOB)
    found = selectors.duplicate_candidates(NameRecord("Sam", "Jones", None))
    assert [(p.given_names, p.date_of_birth) for p, _ in found] == [("Sam", None), ("Sam", DOB)]
    assert {m.strength for _, m in found} == {MatchStrength.POSSIBLE}


def test_merge_keeps_both_records_repoints_earlier_merges_and_audits_a_combine(make_user):
    actor = make_user()
    survivor, merged, older = PersonFactory(), PersonFactory(), PersonFactory()
    services.person_merge(actor=actor, survivor=merged, merged=older, reason="Same DOB and PNC")
    CaseFactory(person=older, owning_organisation=actor.organisation)  # the force holding it
    services.person_address_add(actor=actor, person=older, line_1="1 Old Road")
    record = services.person_merge(actor=actor, survivor=survivor, merged=merged, reason="Same")
    merged.refresh_from_db()
    older.refresh_from_db()
    assert merged.merged_into_id == survivor.pk and older.merged_into_id == survivor.pk
    assert Person.objects.count() == 3
    assert record.reason == "Same"
    assert sorted(selectors.person_record_ids(survivor)) == sorted(
        [survivor.pk, merged.pk, older.pk]
    )
    assert [a.line_1 for a in selectors.person_profile(survivor)["addresses"]] == ["1 Old Road"]
    event = AuditEvent.objects.filter(scope="person.merge").order_by("-seq").first()
    assert event.operation == "combine"
    assert event.details == {
        "survivor": survivor.pk,
        "merged": merged.pk,
        "also_repointed": [older.pk],
    }


@pytest.mark.parametrize("case", ["self", "already", "no reason"])
def test_merge_refusals(make_user, case):
    actor = make_user()
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    if case == "already":
        services.person_merge(actor=actor, survivor=c, merged=b, reason="x")
    with pytest.raises(services.PersonMergeNotAllowed) as refusal:
        services.person_merge(
            actor=actor,
            survivor=a,
            merged=a if case == "self" else b,
            reason="" if case == "no reason" else "why",
        )
    assert refusal.value.code == "PERSON_MERGE_NOT_ALLOWED"


def test_household_children_from_flag_or_date_of_birth(make_user):
    actor = make_user()
    person = PersonFactory()
    today = dt.date(2026, 6, 1)
    assert selectors.household_has_children(person, on=today) is False
    services.person_household_member_add(
        actor=actor, person=person, name="Adult", date_of_birth=dt.date(2000, 1, 1)
    )
    assert selectors.household_has_children(person, on=today) is False
    services.person_household_member_add(
        actor=actor, person=person, name="Teen", date_of_birth=dt.date(2008, 6, 2)
    )
    assert selectors.household_has_children(person, on=today) is True
    assert selectors.household_has_children(person, on=dt.date(2026, 6, 2)) is False
    other = PersonFactory()
    services.person_household_member_add(actor=actor, person=other, name="Child", is_child=True)
    assert selectors.household_has_children(other, on=today) is True
    event = AuditEvent.objects.filter(scope="person.household").last()
    assert event.operation == "alter"


def test_works_with_children_only_while_the_role_lasts(make_user):
    actor = make_user()
    person = PersonFactory()
    services.person_occupation_add(actor=actor, person=person, title="Accountant")
    assert selectors.works_with_children(person, on=dt.date(2026, 1, 1)) is False
    services.person_occupation_add(
        actor=actor,
        person=person,
        title="Football coach",
        is_volunteering=True,
        works_with_children=True,
        ended_on=dt.date(2025, 12, 31),
    )
    assert selectors.works_with_children(person, on=dt.date(2025, 12, 31)) is True
    assert selectors.works_with_children(person, on=dt.date(2026, 1, 1)) is False


def test_a_new_current_address_ends_the_previous_one(make_user):
    actor = make_user()
    person = PersonFactory()
    CaseFactory(person=person, owning_organisation=actor.organisation)  # the force holding it
    services.person_address_add(
        actor=actor, person=person, line_1="1 First St", lived_from=dt.date(2020, 1, 1)
    )
    services.person_address_add(
        actor=actor,
        person=person,
        line_1="2 Second St",
        postcode="ab1  2cd",
        lived_from=dt.date(2024, 5, 1),
    )
    rows = list(
        Address.objects.filter(person=person)
        .order_by("pk")
        .values_list("line_1", "lived_from", "lived_to", "postcode")
    )
    assert rows == [
        ("1 First St", dt.date(2020, 1, 1), dt.date(2024, 4, 30), ""),
        ("2 Second St", dt.date(2024, 5, 1), None, "AB1 2CD"),
    ]


def test_identifiers_are_typed_and_validated(make_user):
    actor = make_user()
    person = PersonFactory()
    row = services.person_identifier_add(actor=actor, person=person, kind="ni", value="ab123456c")
    assert (row.kind, row.value) == ("ni", "AB123456C")
    with pytest.raises(InvalidIdentifier):
        services.person_identifier_add(actor=actor, person=person, kind="ni", value="nope")
    assert person.identifiers.count() == 1


def test_duplicate_check_keeps_other_forces_people_out_and_flags_a_check(make_user, police_force):
    actor = make_user()
    other_force = OrganisationFactory(code="otherton", kind=OrganisationType.POLICE_FORCE)
    own = CaseFactory(
        owning_organisation=police_force,
        person=PersonFactory(given_names="Alex", family_name="Example", date_of_birth=DOB),
    ).person
    foreign = CaseFactory(
        owning_organisation=other_force,
        person=PersonFactory(given_names="Alex", family_name="Example", date_of_birth=DOB),
    ).person
    caseless = PersonFactory(given_names="Alex", family_name="Exampel", date_of_birth=DOB)
    check = services.person_duplicate_check(
        actor=actor, given_names="Alex", family_name="Example", date_of_birth=DOB
    )
    assert [c.person.pk for c in check.candidates] == [own.pk]
    assert check.cross_force_check_needed is True
    event = AuditEvent.objects.get(scope="person.cross_force_check")
    assert event.details == {
        "matches": [
            {"person": foreign.pk, "strength": "exact", "organisations": ["otherton"]},
            {"person": caseless.pk, "strength": "likely", "organisations": []},
        ]
    }
    assert selectors.person_attachable_by(actor, own) is True
    assert selectors.person_attachable_by(actor, foreign) is False
    assert selectors.person_attachable_by(actor, caseless) is False
    with pytest.raises(services.PersonNotAvailable):
        services.person_check_attachable(actor=actor, person=foreign)
