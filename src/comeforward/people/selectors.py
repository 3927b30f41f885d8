"""Reads about people. A person is visible to a user who can see one of their cases. The
duplicate check compares across all records but shows and offers only the people of the
user's own force (``duplicate_candidates_for``); a strong match held by another force is
reported as "a cross-force check is needed", with nothing that identifies the person
(docs/need-to-know.md; ``services.person_duplicate_check`` logs both)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from comeforward.errors import DomainError

from .domain.ages import eighteenth_birthday_cutoff
from .domain.matching import Match, NameRecord, normalise_name, rank_matches, soundex
from .models import (
    Address,
    ContactDetail,
    HouseholdMember,
    Occupation,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonNameWord,
)

#: Upper bound on rows read for one duplicate check, whatever the size of the database.
CANDIDATE_LIMIT = 500


def people_visible_to(user, *, visible_case_ids):
    return Person.objects.filter(cases__id__in=visible_case_ids).distinct()


def person_survivor(person: Person) -> Person:
    """The record that survives a merge (the person itself when never merged)."""
    if person.merged_into_id is None:
        return person
    return Person.objects.get(pk=person.merged_into_id)


def person_record_ids(person: Person) -> list[int]:
    """The person's own record and every record merged into it (merges keep both)."""
    survivor_id = person.merged_into_id or person.pk
    merged = Person.objects.filter(merged_into_id=survivor_id).values_list("pk", flat=True)
    return [survivor_id, *merged]


def household_has_children(person: Person, *, on: dt.date | None = None) -> bool:
    """Whether any household member is a child: flagged as one, or under 18 on ``on``
    (today by default) from their date of birth. Reads across merged records."""
    cutoff = eighteenth_birthday_cutoff(on or timezone.localdate())
    return HouseholdMember.objects.filter(
        Q(is_child=True) | Q(date_of_birth__gt=cutoff), person_id__in=person_record_ids(person)
    ).exists()


def works_with_children(person: Person, *, on: dt.date | None = None) -> bool:
    """Whether the person works or volunteers with children now (an occupation so flagged,
    not ended before ``on``). Reads across merged records."""
    today = on or timezone.localdate()
    return (
        Occupation.objects.filter(person_id__in=person_record_ids(person), works_with_children=True)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .exists()
    )


def person_profile(person: Person) -> dict:
    """Everything recorded about a person, across merged records. Unfiltered: a page shows
    ``person_profile_for(viewer, person)``, which withholds another force's addresses and
    contact details."""
    ids = person_record_ids(person)
    return {
        "records": list(Person.objects.filter(pk__in=ids).order_by("pk")),
        "aliases": list(PersonAlias.objects.filter(person_id__in=ids).order_by("pk")),
        "addresses": list(Address.objects.filter(person_id__in=ids).order_by("-lived_from", "-pk")),
        "contacts": list(ContactDetail.objects.filter(person_id__in=ids).order_by("pk")),
        "identifiers": list(PersonIdentifier.objects.filter(person_id__in=ids).order_by("pk")),
        "household": list(HouseholdMember.objects.filter(person_id__in=ids).order_by("pk")),
        "occupations": list(Occupation.objects.filter(person_id__in=ids).order_by("pk")),
        "household_has_children": household_has_children(person),
        "works_with_children": works_with_children(person),
    }


#: What the person page says in place of addresses and contact details held by another force.
HELD_ELSEWHERE = "Held by another force — ask for a cross-force check."


def person_contact_holder(person: Person) -> int | None:
    """The organisation taken to hold the person's addresses and contact details: the one
    owning the person's **first case** (lowest case id, across merged records). Addresses and
    contact details are not tagged with the force that recorded them, so this is the closest
    the model can tell; ``None`` when the person has no case (nobody holds them)."""
    ids = person_record_ids(person)
    first = (
        Person.objects.filter(pk__in=ids, cases__isnull=False)
        .order_by("cases__pk")
        .values_list("cases__owning_organisation_id", flat=True)
        .first()
    )
    return first


def person_profile_for(viewer, person: Person) -> dict:
    """``person_profile`` as ``viewer`` may see it (issue 11.1 leftover): addresses and
    contact details only when the viewer's organisation is the one holding them
    (``person_contact_holder``). A person attached to another force's record before the
    intake need-to-know fix keeps that force's addresses and phones hidden from everyone
    else; the page says ``HELD_ELSEWHERE`` instead. Fail closed: no organisation on
    either side, nothing shown. docs/need-to-know.md."""
    profile = person_profile(person)
    holder = person_contact_holder(person)
    own = getattr(viewer, "organisation_id", None)
    withheld = holder is None or own is None or holder != own
    profile["contacts_withheld"] = withheld
    if withheld:
        profile["addresses"] = []
        profile["contacts"] = []
    return profile


def people_cross_force() -> list[dict]:
    """Survivor person records with cases of more than one organisation (directly or through
    a merged record), for ``comeforward people_cross_force_review``: ids, organisation codes
    and counts only — never a name, date of birth, address or contact detail."""
    rows = Person.objects.filter(cases__isnull=False).values_list(
        "pk", "merged_into_id", "cases__pk", "cases__owning_organisation__code"
    )
    cases: dict[int, dict[int, str]] = {}
    records: dict[int, set[int]] = {}
    for pk, merged_into, case_id, code in rows:
        survivor = merged_into or pk
        cases.setdefault(survivor, {})[case_id] = code or ""
        records.setdefault(survivor, set()).add(pk)
    found = []
    for survivor, by_case in sorted(cases.items()):
        forces = sorted(set(by_case.values()))
        if len(forces) < 2:
            continue
        ids = person_record_ids(Person(pk=survivor, merged_into_id=None))
        counts = {code: sum(1 for c in by_case.values() if c == code) for code in forces}
        first_case = min(by_case)
        found.append(
            {
                "person_id": survivor,
                "record_ids": sorted(ids),
                "forces": forces,
                "cases_by_force": counts,
                "case_ids": sorted(by_case),
                "contact_holder": by_case[first_case],
                "addresses": Address.objects.filter(person_id__in=ids).count(),
                "contact_details": ContactDetail.objects.filter(person_id__in=ids).count(),
            }
        )
    return found


def duplicate_candidates(target: NameRecord) -> list[tuple[Person, Match]]:
    """Records (and aliases) that may be ``target``, scored by ``domain.matching``.

    Bounded at national scale: candidates come from indexed columns only — the same date of
    birth (or day and month transposed), or, with no date of birth on one side, the same
    family-name Soundex and given-name initial — at most ``CANDIDATE_LIMIT`` of each.
    """
    code = soundex(target.family_name)
    given = normalise_name(target.given_names)
    people = Person.objects.filter(merged_into__isnull=True)
    aliases = PersonAlias.objects.filter(person__merged_into__isnull=True)
    person_filters = []
    alias_filters = []
    if target.date_of_birth is not None:
        dates = [target.date_of_birth]
        dob = target.date_of_birth
        if dob.day <= 12 and dob.day != dob.month:
            dates.append(dob.replace(month=dob.day, day=dob.month))
        person_filters.append(Q(date_of_birth__in=dates))
        alias_filters.append(Q(person__date_of_birth__in=dates))
    if code:
        no_dob = Q(family_soundex=code)
        if given:
            no_dob &= Q(search_name__startswith=f" {given[0]}")
        if target.date_of_birth is not None:
            no_dob &= Q(date_of_birth__isnull=True)
        person_filters.append(no_dob)
        alias_no_dob = Q(family_soundex=code)
        if target.date_of_birth is not None:
            alias_no_dob &= Q(person__date_of_birth__isnull=True)
        alias_filters.append(alias_no_dob)
        if target.date_of_birth is not None:
            alias_filters.append(Q(family_soundex=code, person__date_of_birth=dob))
    if not person_filters:
        return []
    found: dict[int, Person] = {}
    records: list[tuple[int, NameRecord]] = []
    for condition in person_filters:
        for person in people.filter(condition).order_by("pk")[:CANDIDATE_LIMIT]:
            found[person.pk] = person
            records.append(
                (
                    person.pk,
                    NameRecord(person.given_names, person.family_name, person.date_of_birth),
                )
            )
    for condition in alias_filters:
        for alias in (
            aliases.filter(condition).select_related("person").order_by("pk")[:CANDIDATE_LIMIT]
        ):
            found[alias.person_id] = alias.person
            records.append(
                (
                    alias.person_id,
                    NameRecord(alias.given_names, alias.family_name, alias.person.date_of_birth),
                )
            )
    return [(found[pk], result) for pk, result in rank_matches(target, records)]


def person_ids_of_organisation(person_ids, *, organisation_id: int | None) -> set[int]:
    """Those of ``person_ids`` (survivor records) that belong to ``organisation_id``: with a
    case the organisation owns, on the record itself or on a record merged into it. A person
    with no case belongs to no force, so to nobody's (fail closed)."""
    ids = list(person_ids)
    if not ids or organisation_id is None:
        return set()
    direct = Person.objects.filter(
        pk__in=ids, cases__owning_organisation_id=organisation_id
    ).values_list("pk", flat=True)
    merged = Person.objects.filter(
        merged_into_id__in=ids, cases__owning_organisation_id=organisation_id
    ).values_list("merged_into_id", flat=True)
    return set(direct) | set(merged)


def person_organisation_codes(person_ids) -> dict[int, list[str]]:
    """The codes of the organisations that own a case of each person (directly or through
    a merged record), for the audit record of a cross-force check — never for display."""
    ids = list(person_ids)
    found: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, code in Person.objects.filter(pk__in=ids).values_list(
        "pk", "cases__owning_organisation__code"
    ):
        if code:
            found[pk].add(code)
    for pk, code in Person.objects.filter(merged_into_id__in=ids).values_list(
        "merged_into_id", "cases__owning_organisation__code"
    ):
        if code:
            found[pk].add(code)
    return {pk: sorted(codes) for pk, codes in found.items()}


#: Match strengths held by another force that call for a cross-force check: a "possible"
#: match (similar name, no date of birth to compare) is too weak to act on.
CROSS_FORCE_STRENGTHS = frozenset({"exact", "likely"})


def duplicate_candidates_for(
    user, target: NameRecord
) -> tuple[list[tuple[Person, Match]], list[tuple[Person, Match]]]:
    """``duplicate_candidates`` split by need-to-know: (the people of the user's own force,
    which the user may see and attach a case to; strong matches elsewhere, which the user
    must not see). Users of no police force see none."""
    ranked = duplicate_candidates(target)
    own_ids = person_ids_of_organisation(
        [person.pk for person, _ in ranked], organisation_id=getattr(user, "organisation_id", None)
    )
    own = [(person, match) for person, match in ranked if person.pk in own_ids]
    elsewhere = [
        (person, match)
        for person, match in ranked
        if person.pk not in own_ids and str(match.strength) in CROSS_FORCE_STRENGTHS
    ]
    return own, elsewhere


def person_attachable_by(user, person: Person) -> bool:
    """Whether ``user`` may open a case on ``person``: a survivor record of their own force."""
    if person.merged_into_id is not None:
        return False
    return person.pk in person_ids_of_organisation(
        [person.pk], organisation_id=getattr(user, "organisation_id", None)
    )


#: Up to this many matching people are fetched as a list (so the case query uses the index
#: on ``cases_case.person_id``); beyond it the match is a subquery instead.
NAME_MATCH_LIST_LIMIT = 2000


def person_ids_matching_name(query: str):
    """Ids of people any of whose names or aliases has a word starting with each word of
    ``query`` — a list when few, else a subquery. Merged records are included."""
    words = normalise_name(query).split()[:6]
    if not words:
        return []
    matches = PersonNameWord.objects.filter(word__startswith=words[0][:100])
    for word in words[1:]:
        matches = matches.filter(person__name_words__word__startswith=word[:100])
    person_ids = matches.values_list("person_id", flat=True).distinct()
    found = list(person_ids[: NAME_MATCH_LIST_LIMIT + 1])
    if len(found) <= NAME_MATCH_LIST_LIMIT:
        return found
    return person_ids


def person_ids_with_identifier(kind: str, value: str):
    return PersonIdentifier.objects.filter(kind=kind, value=value).values("person_id")


def people_for_linkage(*, organisation_id: int | None) -> list[dict]:
    """The people of one force (survivor records with a case it owns) as plain records for
    bulk-lead linkage (leads.linkage): name, date of birth, latest address, e-mail, phone.
    No force, no people (fail closed)."""
    if organisation_id is None:
        return []
    people = (
        Person.objects.filter(
            merged_into__isnull=True, cases__owning_organisation_id=organisation_id
        )
        .distinct()
        .prefetch_related("addresses", "contacts")
    )
    records = []
    for person in people:
        addresses = sorted(person.addresses.all(), key=lambda a: a.created_at)
        contacts = list(person.contacts.all())
        latest = addresses[-1] if addresses else None
        records.append(
            {
                "person_id": person.pk,
                "given_names": person.given_names,
                "family_name": person.family_name,
                "date_of_birth": person.date_of_birth,
                "address": latest.line_1 if latest else "",
                "postcode": latest.postcode if latest else "",
                "email": next((c.value for c in contacts if c.kind == "email"), ""),
                "phone": next((c.value for c in contacts if c.kind == "phone"), ""),
            }
        )
    return records


def person_for_lead_case(person_id: int, *, organisation_id: int | None) -> Person:
    """A person of ``organisation_id`` that a bulk lead was linked to, for opening a case on
    them (leads.services.lead_open_case). Another force's person is never returned."""
    if person_id not in person_ids_of_organisation([person_id], organisation_id=organisation_id):
        raise PersonNotOfForce("The linked person belongs to another force")
    return person_survivor(Person.objects.get(pk=person_id))


class PersonNotOfForce(DomainError):
    code = "PERSON_NOT_OF_FORCE"
