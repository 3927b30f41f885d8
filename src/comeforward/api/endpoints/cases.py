"""Cases: list (filters, cursor pagination), read, and record a self-referral."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from comeforward.audit.operations import Operation
from comeforward.cases import selectors as case_selectors
from comeforward.cases import services as case_services
from comeforward.cases.domain.states import STATE_LABELS, CaseState

from .. import calls, pagination, selectors, services
from ..schemas import CaseOut, CasePage, IsoDateTime, SelfReferralIn, Text
from ..security import ClientToken

router = Router(tags=["cases"])


class CaseFilters(Schema):
    state: list[CaseState] = Field(default_factory=list, description="Any of these states")
    route: Text | None = Field(default=None, max_length=32)
    changed_since: IsoDateTime | None = Field(default=None, description="State changed at/after")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)


def case_out(case) -> dict:
    person = case.person
    return {
        "id": case.pk,
        "reference": case.reference,
        "state": case.state,
        "state_label": str(STATE_LABELS[CaseState(case.state)]),
        "route": case.route,
        "owning_organisation": case.owning_organisation.code,
        "state_changed_at": case.state_changed_at,
        "created_at": case.created_at,
        "person": {
            "id": person.pk,
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
        },
    }


#: The columns a list row needs, read as plain values (no model instances for a page of 100).
ROW_FIELDS = (
    "pk",
    "reference",
    "state",
    "route",
    "owning_organisation__code",
    "state_changed_at",
    "created_at",
    "person_id",
    "person__given_names",
    "person__family_name",
    "person__date_of_birth",
)


def case_row_out(row: dict) -> dict:
    """``case_out`` for a row of ``ROW_FIELDS`` values (the same fields, the same shape)."""
    return {
        "id": row["pk"],
        "reference": row["reference"],
        "state": row["state"],
        "state_label": str(STATE_LABELS[CaseState(row["state"])]),
        "route": row["route"],
        "owning_organisation": row["owning_organisation__code"],
        "state_changed_at": row["state_changed_at"],
        "created_at": row["created_at"],
        "person": {
            "id": row["person_id"],
            "given_names": row["person__given_names"],
            "family_name": row["person__family_name"],
            "date_of_birth": row["person__date_of_birth"],
        },
    }


@router.get(
    "",
    response=CasePage,
    auth=ClientToken("cases:read"),
    operation_id="cases_list",
    summary="List cases",
)
def cases_list(request: HttpRequest, filters: Query[CaseFilters]):
    """The cases the client may see, newest first, a page at a time."""
    calls.require_role(request, calls.CASE_READERS, "read cases")
    queryset = case_selectors.cases_visible_to(request.user)
    if filters.state:
        queryset = queryset.filter(state__in=[s.value for s in filters.state])
    if filters.route:
        queryset = queryset.filter(route=filters.route)
    if filters.changed_since:
        queryset = queryset.filter(state_changed_at__gte=filters.changed_since)
    rows, next_cursor = pagination.keyset_page(
        queryset.values(*ROW_FIELDS), cursor=filters.cursor, limit=filters.limit
    )
    calls.audit_call(request, [row["reference"] for row in rows])
    return calls.respond(
        request, {"items": [case_row_out(row) for row in rows], "next_cursor": next_cursor}
    )


@router.get(
    "/{case_id}",
    response=CaseOut,
    auth=ClientToken("cases:read"),
    operation_id="cases_read",
    summary="Read a case",
)
def cases_read(request: HttpRequest, case_id: int):
    calls.require_role(request, calls.CASE_READERS, "read cases")
    case = case_selectors.case_get_for_user(request.user, case_id=case_id)
    if case.owning_organisation_id == request.user.organisation_id:  # type: ignore[union-attr]
        case.owning_organisation = request.user.organisation  # type: ignore[union-attr]
    calls.audit_call(request, [case.reference])
    return case_out(case)


@router.post(
    "",
    response={201: CaseOut},
    auth=ClientToken("cases:create"),
    operation_id="cases_create",
    summary="Record a self-referral",
)
def cases_create(
    request: HttpRequest,
    body: SelfReferralIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
):
    """Record a self-referral in the client's force (opens a case with its SLA clocks), as
    the intake page does. Send an ``Idempotency-Key`` so that a retry cannot open two cases."""
    calls.require_role(request, calls.INTAKE_ROLES, "record a self-referral")
    key = services.idempotency_key_check(idempotency_key)
    person = None
    if body.person_id is not None:
        person = selectors.person_get_for_user(request.user, person_id=body.person_id)
    elif not body.family_name.strip():
        raise services.ApiClientInvalid(
            "Give the person's family name, or the id of a person your force holds",
            details={"fields": {"family_name": "Enter the family name"}},
            code="INVALID_INPUT",
        )

    def create():
        case = case_services.intake_record(
            actor=request.user,
            route="self_referral",
            person=person,
            given_names=body.given_names.strip(),
            family_name=body.family_name.strip(),
            date_of_birth=body.date_of_birth,
        )
        case = case_selectors.case_get_for_user(request.user, case_id=case.pk)
        calls.audit_call(request, [case.reference], operation=Operation.COLLECT)
        return 201, _jsonable(case_out(case))

    replay = services.idempotent_create(
        client=request.api_client,  # type: ignore[attr-defined]
        key=key,
        operation="cases_create",
        fingerprint=services.request_fingerprint(body.model_dump(mode="json")),
        create=create,
    )
    return Status(replay.status, replay.body)


def _jsonable(data: dict) -> dict:
    return CaseOut.model_validate(data).model_dump(mode="json")
