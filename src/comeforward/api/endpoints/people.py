"""People: a scoped lookup (never a list of everyone) and one person's record."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from comeforward.cases import selectors as case_selectors
from comeforward.errors import InvalidInput

from .. import calls, selectors
from ..schemas import IsoDate, PersonList, PersonOut, Text
from ..security import ClientToken

router = Router(tags=["people"])


class PeopleQuery(Schema):
    name: Text = Field(default="", max_length=200, description="Words starting the names")
    date_of_birth: IsoDate | None = None
    pnc: Text = Field(default="", max_length=20, description="PNC number")
    ni: Text = Field(default="", max_length=13, description="National Insurance number")


def person_out(person, references: list[str]) -> dict:
    return {
        "id": person.pk,
        "given_names": person.given_names,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "aliases": [f"{a.given_names} {a.family_name}".strip() for a in person.aliases.all()],
        "case_references": references,
    }


@router.get(
    "",
    response=PersonList,
    auth=ClientToken("people:read"),
    operation_id="people_lookup",
    summary="Look up people",
)
def people_lookup(request: HttpRequest, query: Query[PeopleQuery]):
    """People on the cases the client may see who match every criterion given (at least one;
    at most 50 people)."""
    calls.require_role(request, calls.CASE_READERS, "look up people")
    if not (query.name.strip() or query.date_of_birth or query.pnc.strip() or query.ni.strip()):
        raise InvalidInput(
            "Give at least one of name, date_of_birth, pnc or ni",
            details={"fields": ["name", "date_of_birth", "pnc", "ni"]},
        )
    people = selectors.people_lookup(
        request.user,
        name=query.name,
        date_of_birth=query.date_of_birth,
        pnc=query.pnc,
        ni=query.ni,
    )
    references = case_selectors.case_references_for_people(
        request.user, person_ids=[p.pk for p in people]
    )
    calls.audit_call(request, [f"person:{p.pk}" for p in people])
    items = [person_out(p, references.get(p.pk, [])) for p in people]
    return calls.respond(request, {"items": items})


@router.get(
    "/{person_id}",
    response=PersonOut,
    auth=ClientToken("people:read"),
    operation_id="people_read",
    summary="Read a person",
)
def people_read(request: HttpRequest, person_id: int):
    calls.require_role(request, calls.CASE_READERS, "read people")
    person = selectors.person_get_for_user(request.user, person_id=person_id)
    references = case_selectors.case_references_for_people(request.user, person_ids=[person.pk])
    calls.audit_call(request, [f"person:{person.pk}"])
    return person_out(person, references.get(person.pk, []))
