"""Writes about people: one transaction and one audit record each (DPA 2018 s.62)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError

from . import selectors
from .domain.identifiers import normalise_identifier
from .domain.matching import Match, NameRecord
from .models import (
    Address,
    ContactDetail,
    HouseholdMember,
    Occupation,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonMerge,
)


class PersonMergeNotAllowed(DomainError):
    code = "PERSON_MERGE_NOT_ALLOWED"


class PersonNameRequired(DomainError):
    code = "PERSON_NAME_REQUIRED"


class PersonContactsHeldElsewhere(DomainError):
    code = "PERSON_CONTACTS_HELD_ELSEWHERE"


def _require_contact_holder(actor, person: Person) -> None:
    """Only the force holding the person's addresses and contact details may add to them
    (``selectors.person_contact_holder``; docs/need-to-know.md): another force could not see
    what it added, and would be writing into a record it does not hold. Fail closed: no
    holder or no organisation, refused. ``actor=None`` is the system (seed, migration)."""
    if actor is None:
        return
    holder = selectors.person_contact_holder(person)
    own = getattr(actor, "organisation_id", None)
    if holder is None or own is None or holder != own:
        raise PersonContactsHeldElsewhere(
            "Another force holds this person's addresses and contact details — ask it for a "
            "cross-force check or to record the change."
        )


def _audit(actor, person: Person, operation: str, scope: str, **extra) -> None:
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="person",
        subject_id=person.pk,
        scope=scope,
        **extra,
    )


def person_create(
    *, actor, given_names: str, family_name: str, date_of_birth: dt.date | None
) -> Person:
    """Record a person. Only a name is required (users-and-security: no needless mandatory
    fields); everything else can be added later."""
    if not (given_names or "").strip() and not (family_name or "").strip():
        raise PersonNameRequired("Enter the person's name")
    with transaction.atomic():
        person = Person.objects.create(
            given_names=(given_names or "").strip(),
            family_name=(family_name or "").strip(),
            date_of_birth=date_of_birth,
        )
        _audit(actor, person, Operation.COLLECT, "person.identity")
    return person


class PersonLanguageInvalid(DomainError):
    code = "PERSON_LANGUAGE_INVALID"


def person_language_set(*, actor, person: Person, language: str) -> Person:
    """Keep the language of the documents given to the person (``en`` or ``cy``; issue 20.9),
    audited as an update of the person's record; unchanged, nothing is written."""
    if language not in ("en", "cy"):
        raise PersonLanguageInvalid("Choose English or Welsh", details={"language": language})
    if person.language == language:
        return person
    with transaction.atomic():
        before = person.language
        person.language = language
        person.save(update_fields=["language"])
        _audit(
            actor,
            person,
            Operation.ALTER,
            "person.language",
            details={"before": before, "after": language},
        )
    return person


def person_identity_update(
    *, actor, person: Person, given_names: str, family_name: str, date_of_birth: dt.date | None
) -> Person:
    """Correct or complete a person's names and date of birth (intake needs only a name).
    The previous values are kept in the audit record's details."""
    if not (given_names or "").strip() and not (family_name or "").strip():
        raise PersonNameRequired("Enter the person's name")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = {
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        }
        person.given_names = (given_names or "").strip()
        person.family_name = (family_name or "").strip()
        person.date_of_birth = date_of_birth
        person.save()
        _audit(actor, person, Operation.ALTER, "person.identity", details={"before": before})
    return person


@dataclass(frozen=True)
class DuplicateCandidate:
    person: Person
    match: Match


@dataclass(frozen=True)
class DuplicateCheck:
    """What the user may be shown: the candidates of their own force, strongest first, and
    whether a strong match held elsewhere calls for a cross-force check (no details)."""

    candidates: list[DuplicateCandidate]
    cross_force_check_needed: bool


class PersonNotAvailable(DomainError):
    """The person is not one the user may attach a case to (another force's record, a merged
    record, or one with no case at all): need-to-know (docs/need-to-know.md)."""

    code = "PERSON_NOT_AVAILABLE"


CROSS_FORCE_JUSTIFICATION = (
    "Duplicate check at intake matched a record held by another force: a cross-force check "
    "is needed"
)


def person_duplicate_check(
    *, actor, given_names: str, family_name: str, date_of_birth: dt.date | None
) -> DuplicateCheck:
    """People of the actor's force who may be the same as the one about to be recorded,
    strongest first, and whether another force holds a strong match.

    Reading person records to compare is a consultation of personal data: it is logged (s.62)
    with its purpose, whatever it finds. A strong match held by another force is never shown
    (need-to-know); it is logged as its own record, naming the forces and records to check,
    the way a PND check is — so that the check can be made through the proper channel.
    """
    target = NameRecord(given_names or "", family_name or "", date_of_birth)
    own, elsewhere = selectors.duplicate_candidates_for(actor, target)
    with transaction.atomic():
        audit_record(
            actor=actor,
            operation=Operation.CONSULT,
            subject_type="person",
            scope="person.duplicate_check",
            justification="Duplicate check before recording a person (data quality)",
            details={"candidates": [person.pk for person, _ in own]},
        )
        if elsewhere:
            forces = selectors.person_organisation_codes([person.pk for person, _ in elsewhere])
            audit_record(
                actor=actor,
                operation=Operation.CONSULT,
                subject_type="person",
                scope="person.cross_force_check",
                justification=CROSS_FORCE_JUSTIFICATION,
                details={
                    "matches": [
                        {
                            "person": person.pk,
                            "strength": str(match.strength),
                            "organisations": forces.get(person.pk, []),
                        }
                        for person, match in elsewhere
                    ]
                },
            )
    return DuplicateCheck(
        candidates=[DuplicateCandidate(person, found) for person, found in own],
        cross_force_check_needed=bool(elsewhere),
    )


def person_check_attachable(*, actor, person: Person) -> Person:
    """Raise ``PersonNotAvailable`` unless ``actor`` may open a case on ``person``."""
    if not selectors.person_attachable_by(actor, person):
        raise PersonNotAvailable(
            "That person record is not one you can use. Check the record and try again.",
            details={"person": person.pk},
        )
    return person


def _add(actor, person: Person, model, scope: str, **fields):
    with transaction.atomic():
        row = model.objects.create(person=person, **fields)
        _audit(actor, person, Operation.ALTER, scope, details={"added": row.pk})
    return row


def person_alias_add(*, actor, person: Person, given_names: str, family_name: str, kind="alias"):
    if not (given_names or "").strip() and not (family_name or "").strip():
        raise PersonNameRequired("Enter the other name")
    return _add(
        actor,
        person,
        PersonAlias,
        "person.alias",
        given_names=given_names.strip(),
        family_name=family_name.strip(),
        kind=kind,
    )


def person_address_add(
    *,
    actor,
    person: Person,
    line_1: str,
    line_2: str = "",
    town: str = "",
    postcode: str = "",
    lived_from: dt.date | None = None,
    lived_to: dt.date | None = None,
) -> Address:
    """Add an address. A new current address (no end date) ends the previous current one
    the day before it starts, so that the history stays continuous; nothing is deleted.
    Refused to a force that does not hold the person's contact details."""
    _require_contact_holder(actor, person)
    with transaction.atomic():
        if lived_to is None and lived_from is not None:
            Address.objects.filter(person=person, lived_to__isnull=True).exclude(
                lived_from__gte=lived_from
            ).update(lived_to=lived_from - dt.timedelta(days=1))
        return _add(
            actor,
            person,
            Address,
            "person.address",
            line_1=line_1.strip(),
            line_2=line_2.strip(),
            town=town.strip(),
            postcode=" ".join(postcode.upper().split()),
            lived_from=lived_from,
            lived_to=lived_to,
        )


def person_contact_add(*, actor, person: Person, kind: str, value: str, note: str = ""):
    _require_contact_holder(actor, person)
    return _add(
        actor, person, ContactDetail, "person.contact", kind=kind, value=value.strip(), note=note
    )


def person_identifier_add(*, actor, person: Person, kind: str, value: str) -> PersonIdentifier:
    """Raises ``InvalidIdentifier`` for a malformed PNC, NI or passport number."""
    normalised = normalise_identifier(kind, value)
    return _add(actor, person, PersonIdentifier, "person.identifier", kind=kind, value=normalised)


def person_household_member_add(
    *,
    actor,
    person: Person,
    name: str,
    relationship: str = "",
    date_of_birth: dt.date | None = None,
    is_child: bool = False,
) -> HouseholdMember:
    """A household member; a child (under 18) is flagged whether stated or from the date of
    birth (domain-rules §5.2 S1)."""
    from .domain.ages import is_under_18

    child = is_child or (date_of_birth is not None and is_under_18(date_of_birth, _today()))
    return _add(
        actor,
        person,
        HouseholdMember,
        "person.household",
        name=name.strip(),
        relationship=relationship.strip(),
        date_of_birth=date_of_birth,
        is_child=child,
    )


def person_occupation_add(
    *,
    actor,
    person: Person,
    title: str,
    organisation_name: str = "",
    is_volunteering: bool = False,
    works_with_children: bool = False,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
) -> Occupation:
    return _add(
        actor,
        person,
        Occupation,
        "person.occupation",
        title=title.strip(),
        organisation_name=organisation_name.strip(),
        is_volunteering=is_volunteering,
        works_with_children=works_with_children,
        started_on=started_on,
        ended_on=ended_on,
    )


def person_merge(*, actor, survivor: Person, merged: Person, reason: str) -> PersonMerge:
    """Merge ``merged`` into ``survivor``: both records and all their history stay; the merged
    record points to the survivor (and so do records merged into it before). Audited as a
    *combine* (DPA 2018 s.62(1)(e))."""
    if not reason.strip():
        raise PersonMergeNotAllowed("Give the reason for merging the records")
    with transaction.atomic():
        survivor = Person.objects.select_for_update().get(pk=survivor.pk)
        merged = Person.objects.select_for_update().get(pk=merged.pk)
        if survivor.pk == merged.pk:
            raise PersonMergeNotAllowed("A record cannot be merged into itself")
        if survivor.merged_into_id is not None or merged.merged_into_id is not None:
            raise PersonMergeNotAllowed(
                "One of the records has already been merged",
                details={"survivor": survivor.pk, "merged": merged.pk},
            )
        now = timezone.now()
        earlier = list(Person.objects.filter(merged_into=merged).values_list("pk", flat=True))
        Person.objects.filter(pk__in=[merged.pk, *earlier]).update(merged_into=survivor)
        Person.objects.filter(pk=merged.pk).update(merged_at=now)
        record = PersonMerge.objects.create(
            survivor=survivor, merged=merged, actor=actor, reason=reason.strip(), at=now
        )
        _audit(
            actor,
            survivor,
            Operation.COMBINE,
            "person.merge",
            details={"survivor": survivor.pk, "merged": merged.pk, "also_repointed": earlier},
        )
    return record


def _today() -> dt.date:
    return timezone.localdate()
