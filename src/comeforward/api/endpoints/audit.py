"""The audit extract for the data protection officer (DPA 2018 s.62; issue 18.1).

Only a client acting as an administrator may hold ``audit:read`` (``scopes.ADMINISTRATOR_ONLY``)
— the administrator stands in for the data protection officer until the service has a DPO
role — and it sees what the audit trail page shows that role: the records of its own
organisation's users (``audit.trail.trail_events_visible_to``), oldest first by ``seq`` so an
extract can be resumed and its hash chain checked.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from comeforward.audit import trail

from .. import calls, pagination
from ..schemas import AuditPage, IsoDate, Text
from ..security import ClientToken

router = Router(tags=["audit"])

FIELDS = (
    "seq",
    "occurred_at",
    "operation",
    "actor_email",
    "actor_role",
    "actor_organisation",
    "subject_type",
    "subject_id",
    "subject_ref",
    "scope",
    "justification",
    "outcome",
    "details",
    "prev_hash",
    "hash",
)


class AuditQuery(Schema):
    on_or_after: IsoDate | None = None
    on_or_before: IsoDate | None = None
    case_reference: Text = Field(default="", max_length=30)
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=pagination.MAX_LIMIT, ge=1, le=pagination.MAX_LIMIT)


def audit_events(user, query: AuditQuery):
    return trail.trail_events(
        user,
        case_reference=query.case_reference,
        on_or_after=query.on_or_after,
        on_or_before=query.on_or_before,
    )


@router.get(
    "/events",
    response=AuditPage,
    auth=ClientToken("audit:read"),
    operation_id="audit_events_list",
    summary="Extract audit records",
)
def audit_events_list(request: HttpRequest, query: Query[AuditQuery]):
    calls.require_role(request, calls.AUDIT_READERS, "read the audit trail")
    rows, next_cursor = pagination.keyset_page(
        audit_events(request.user, query),
        cursor=query.cursor,
        limit=query.limit,
        field="seq",
        ascending=True,
    )
    calls.audit_call(request, [f"audit:{e.seq}" for e in rows])
    items = [{f: getattr(e, f) for f in FIELDS} for e in rows]
    return calls.respond(request, {"items": items, "next_cursor": next_cursor})
