"""Tasks: the client's open tasks (its role's, on cases it may see), earliest due first."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from comeforward.cases import selectors as case_selectors

from .. import calls
from ..schemas import TaskList
from ..security import ClientToken

router = Router(tags=["tasks"])


class TaskQuery(Schema):
    limit: int = Field(default=50, ge=1, le=100)


def task_out(task) -> dict:
    return {
        "id": task.pk,
        "case_id": task.case_id,
        "case_reference": task.case.reference,
        "kind": task.kind,
        "label": task.label,
        "assigned_role": task.assigned_role,
        "due": task.due,
        "status": task.status,
    }


@router.get(
    "",
    response=TaskList,
    auth=ClientToken("tasks:read"),
    operation_id="tasks_list",
    summary="List open tasks",
)
def tasks_list(request: HttpRequest, query: Query[TaskQuery]):
    calls.require_role(request, calls.CASE_READERS, "read tasks")
    tasks = case_selectors.task_queue(request.user, limit=query.limit)
    calls.audit_call(request, [f"task:{t.pk}" for t in tasks])
    return calls.respond(request, {"items": [task_out(t) for t in tasks]})
