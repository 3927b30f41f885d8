"""Register records (notification requirements, SOA 2003 Part 2) and their notifications."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from comeforward.audit.operations import Operation
from comeforward.register import selectors as register_selectors
from comeforward.register import services as register_services
from comeforward.register.domain import MASKED_KINDS, ParticularKind

from .. import calls, pagination, services
from ..schemas import (
    NotificationIn,
    NotificationList,
    NotificationOut,
    RegisterPage,
    RegisterRecordDetail,
)
from ..security import ClientToken

router = Router(tags=["register"])


class RecordQuery(Schema):
    active: bool | None = Field(default=None, description="Only active (true) or ended (false)")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)


def record_out(record) -> dict:
    person = record.case.person
    return {
        "id": record.pk,
        "case_id": record.case_id,
        "case_reference": record.case.reference,
        "person": {
            "id": person.pk,
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
        },
        "offence": record.offence,
        "offence_date": record.offence_date,
        "disposal_type": record.disposal_type,
        "relevant_date": record.relevant_date,
        "period": record.period_text,
        "last_day": record.last_day,
        "active": record.active,
        "no_fixed_abode": record.no_fixed_abode,
        "next_due": record.next_due,
        "initial_due": record.initial_due,
        "next_periodic_due": record.next_periodic_due,
        "overdue_count": record.overdue_count,
        "arms_level": record.arms_level,
        "mappa_category": record.mappa_category,
        "mappa_level": record.mappa_level,
    }


def particular_out(particular) -> dict:
    masked = particular.kind in MASKED_KINDS
    return {
        "kind": particular.kind,
        "label": str(ParticularKind(particular.kind).label),
        "value": None if masked else particular.value,
        "masked": particular.masked if masked else None,
        "valid_from": particular.valid_from,
        "valid_to": particular.valid_to,
    }


def trip_out(trip) -> dict:
    fields = ("departure", "planned_return", "returned_on", "destinations")
    extra = ("departure_point", "arrival_point", "return_point", "carrier")
    return {"id": trip.pk, **{f: getattr(trip, f) for f in fields + extra}}


def notification_out(notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "date": notification.date,
        "matters": list(notification.matters or []),
        "changed_on": notification.changed_on,
        "departure": notification.departure,
        "police_station": notification.police_station,
        "received_by_name": notification.received_by_name,
        "recorded_at": notification.recorded_at,
    }


@router.get(
    "/records",
    response=RegisterPage,
    auth=ClientToken("register:read"),
    operation_id="register_records_list",
    summary="List register records",
)
def records_list(request: HttpRequest, query: Query[RecordQuery]):
    calls.require_role(request, calls.REGISTER_READERS, "read register records")
    records = register_selectors.records_visible_to(request.user)
    if query.active is not None:
        records = records.filter(active=query.active)
    rows, next_cursor = pagination.keyset_page(records, cursor=query.cursor, limit=query.limit)
    calls.audit_call(request, [f"register:{r.pk}" for r in rows])
    return calls.respond(
        request, {"items": [record_out(r) for r in rows], "next_cursor": next_cursor}
    )


@router.get(
    "/records/{record_id}",
    response=RegisterRecordDetail,
    auth=ClientToken("register:read"),
    operation_id="register_records_read",
    summary="Read a register record",
)
def records_read(request: HttpRequest, record_id: int):
    calls.require_role(request, calls.REGISTER_READERS, "read register records")
    record = register_selectors.record_get_for_user(request.user, record_id=record_id)
    current, _history = register_selectors.record_particulars(record)
    trips = register_selectors.record_trips(record)
    calls.audit_call(request, [f"register:{record.pk}", record.case.reference])
    return {
        **record_out(record),
        "particulars": [particular_out(p) for p in current],
        "trips": [trip_out(t) for t in trips],
    }


@router.get(
    "/records/{record_id}/notifications",
    response=NotificationList,
    auth=ClientToken("register:read"),
    operation_id="register_notifications_list",
    summary="List a record's notifications",
)
def notifications_list(request: HttpRequest, record_id: int):
    calls.require_role(request, calls.REGISTER_READERS, "read register records")
    record = register_selectors.record_get_for_user(request.user, record_id=record_id)
    notifications = register_selectors.record_notifications(record)
    calls.audit_call(request, [f"register:{record.pk}"])
    return {"items": [notification_out(n) for n in notifications]}


@router.post(
    "/records/{record_id}/notifications",
    response={201: NotificationOut},
    auth=ClientToken("register:write"),
    operation_id="register_notifications_create",
    summary="Record a notification",
)
def notifications_create(
    request: HttpRequest,
    record_id: int,
    body: NotificationIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
):
    """Record a notification made in person (s.87), as the register page does; what is due
    next is recomputed. Send an ``Idempotency-Key`` so that a retry cannot record it twice."""
    record = register_selectors.record_get_for_user(request.user, record_id=record_id)
    calls.require_case_action(
        request,
        record.case,
        "register.notification_record",
        roles=calls.NOTIFICATION_RECORDERS,
        doing="record a notification",
    )
    key = services.idempotency_key_check(idempotency_key)

    def create():
        notification = register_services.register_notification_record(
            actor=request.user,
            record=record,
            kind=body.kind,
            date=body.date,
            matters=body.matters,
            changed_on=body.changed_on,
            departure=body.departure,
            details=body.details,
            particulars=[p.model_dump() for p in body.particulars],
            police_station=body.police_station,
            received_by_name=body.received_by_name,
        )
        calls.audit_call(
            request,
            [f"register:{record.pk}", f"notification:{notification.pk}"],
            operation=Operation.COLLECT,
        )
        out = NotificationOut.model_validate(notification_out(notification))
        return 201, out.model_dump(mode="json")

    replay = services.idempotent_create(
        client=request.api_client,  # type: ignore[attr-defined]
        key=key,
        operation=f"register_notifications_create:{record.pk}",
        fingerprint=services.request_fingerprint(record.pk, body.model_dump(mode="json")),
        create=create,
    )
    return Status(replay.status, replay.body)
