"""Exports (CSV or ODS), each audited with its purpose and watermarked (``api.exports``).

Each kind needs the read scope of what it holds: ``cases:read`` for the case list,
``tasks:read`` for the task queue, ``register:read`` for the register list and ``audit:read``
for the audit extract.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from comeforward.audit.operations import Operation

from .. import calls, exports
from ..schemas import IsoDate, Text
from ..security import ClientToken

router = Router(tags=["exports"])


class ExportQuery(Schema):
    purpose: Text = Field(min_length=5, max_length=300, description="Why (audited)")
    format: Literal["csv", "ods"] = "csv"


class AuditExportQuery(ExportQuery):
    on_or_after: IsoDate | None = None
    on_or_before: IsoDate | None = None


FILE_RESPONSE = {
    200: {
        "description": "The export (watermarked)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.oasis.opendocument.spreadsheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
    }
}


def _file(request, kind: str, query: ExportQuery, filters=None) -> HttpResponse:
    made = exports.export_make(
        actor=request.user,
        kind=kind,
        fmt=query.format,
        purpose=query.purpose,
        filters=filters,
        via=f"api:{request.api_client.token_prefix}",
    )
    calls.audit_call(
        request,
        [f"export:{kind}"],
        operation=Operation.DISCLOSE,
        rows=made.rows,
        export_audit_seq=made.audit_seq,
    )
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _op(path: str, scope: str, kind: str, summary: str):
    return router.get(
        path,
        auth=ClientToken(scope),
        operation_id=f"exports_{kind}",
        summary=summary,
        openapi_extra={"responses": FILE_RESPONSE},
    )


@_op("/cases", "cases:read", "cases", "Export the case list")
def exports_cases(request: HttpRequest, query: Query[ExportQuery]):
    return _file(request, "cases", query)


@_op("/tasks", "tasks:read", "tasks", "Export the task queue")
def exports_tasks(request: HttpRequest, query: Query[ExportQuery]):
    return _file(request, "tasks", query)


@_op("/register", "register:read", "register", "Export the register list")
def exports_register(request: HttpRequest, query: Query[ExportQuery]):
    return _file(request, "register", query)


@_op("/audit", "audit:read", "audit", "Export an audit extract")
def exports_audit(request: HttpRequest, query: Query[AuditExportQuery]):
    filters = {"on_or_after": query.on_or_after, "on_or_before": query.on_or_before}
    return _file(request, "audit", query, filters)
