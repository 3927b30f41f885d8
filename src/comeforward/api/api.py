"""The integration API (issue 18; docs/api.md): ``/api/v1/``, django-ninja, OpenAPI 3.1.

No business logic here: operations call the apps' selectors and services as the client's
service principal, and every refusal becomes RFC 9457 problem details (``problems``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from comeforward.errors import DomainError

from . import problems
from .endpoints import audit, cases, exhibits, exports, people, register, statistics, tasks
from .schemas import Problem
from .security import RateLimited

logger = logging.getLogger(__name__)

DESCRIPTION = """\
The comeforward integration API for force systems (records management, the national
register, forensic laboratories, reporting). Every call carries a client token
(`Authorization: Bearer cf_…`) registered by an administrator with the scopes it needs; the
client sees exactly what a person in its registered role and organisation would see on the web
pages, and every call is audited. Errors are RFC 9457 problem details with a stable `code`.
See docs/api.md for authentication, scopes, pagination, errors and examples.
"""


def _finish(request, response):
    response["Cache-Control"] = "no-store"
    for name, value in getattr(request, "api_rate_headers", {}).items():
        response[name] = value
    return response


class ComeforwardAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return _finish(request, response)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> dict[str, Any]:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_problems(schema, self)


def document_problems(schema, api) -> dict[str, Any]:
    """Every operation answers refusals as ``application/problem+json`` (documented on each),
    and names the scope its token must carry (``x-scope``, also in its description)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    scopes = operation_scopes(api)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            scope = scopes.get(operation["operationId"])
            if scope:
                operation["x-scope"] = scope
                operation["description"] = (
                    f"{operation.get('description', '').strip()}\n\nScope: `{scope}`."
                ).strip()
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status in problems.PROBLEM_STATUSES:
                responses[str(status)] = {
                    "description": problems.title_for(_status_phrase(status)),
                    "content": {
                        problems.PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                }
    return schema


def _status_phrase(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase.upper().replace(" ", "_")


def operation_scopes(api) -> dict[str, str]:
    """``operationId`` → scope, from each operation's ``ClientToken``."""
    found: dict[str, str] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for auth in operation.auth_callbacks:
                    scope = getattr(auth, "scope", None)
                    if scope:
                        found[operation.operation_id or operation.view_func.__name__] = scope
    return found


api = ComeforwardAPI(
    title="comeforward integration API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,  # the reference page is ours (views.reference): it works under the CSP
)
api.add_router("/cases", cases.router)
api.add_router("/people", people.router)
api.add_router("/register", register.router)
api.add_router("/", exhibits.router)
api.add_router("/tasks", tasks.router)
api.add_router("/statistics", statistics.router)
api.add_router("/audit", audit.router)
api.add_router("/exports", exports.router)


def bind_query_names(api) -> None:
    """Tell each operation's ``ClientToken`` which query parameters the operation declares."""
    from ninja.params.models import QueryModel

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                names: set[str] = set()
                lists: set[str] = set()
                for model in operation.models:
                    if issubclass(model, QueryModel):
                        lists |= set(getattr(model, "__ninja_collection_fields__", []) or [])
                        flat = getattr(model, "__ninja_flatten_map__", None) or {}
                        names |= set(flat) or {f.alias or n for n, f in model.model_fields.items()}
                for auth in operation.auth_callbacks:
                    if hasattr(auth, "query_names"):
                        auth.query_names = frozenset(names)
                        auth.query_lists = frozenset(lists)


bind_query_names(api)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    return _finish(
        request,
        problems.problem(
            request, code=exc.code, detail=exc.message, details=exc.details, headers=headers
        ),
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _finish(
        request,
        problems.problem(
            request, code="NOT_FOUND", detail=str(exc) or "No such record, or no access to it"
        ),
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": e.get("type"),
        }
        for e in exc.errors
    ]
    return _finish(
        request,
        problems.problem(
            request,
            code="INVALID_INPUT",
            detail="The request is not valid: " + "; ".join(e["msg"] for e in errors[:5]),
            details={"errors": errors},
        ),
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _finish(
        request,
        problems.problem(
            request,
            code="TOKEN_MISSING",
            detail="Send the client's token as 'Authorization: Bearer <token>'",
        ),
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code = _status_phrase(exc.status_code) if exc.status_code != 422 else "INVALID_INPUT"
    return _finish(
        request, problems.problem(request, code=code, detail=str(exc), status=exc.status_code)
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return _finish(
        request, problems.problem(request, code="REQUEST_TOO_LARGE", detail="Request too large")
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _finish(
        request,
        problems.problem(request, code="ROLE_NOT_PERMITTED", detail="Not permitted", status=403),
    )


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API operation failed")
    return _finish(
        request,
        problems.problem(
            request, code="INTERNAL_ERROR", detail="Something went wrong; it has been logged"
        ),
    )
