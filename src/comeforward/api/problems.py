"""RFC 9457 problem details with the project's stable error codes (issue 18.3; docs/api.md).

Every refusal the API gives is ``application/problem+json``::

    {"type": "urn:comeforward:error:SCOPE_REQUIRED", "title": "Scope required",
     "status": 403, "detail": "…", "code": "SCOPE_REQUIRED", "details": {…}}

``code`` is the same stable code the command line and the web pages use
(``comeforward.errors.DomainError.code``); ``type`` is a URN built from it, so it is stable
too. Nothing ever carries a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

#: Codes whose HTTP status is not the default 422 (domain refusal of valid-looking input).
STATUS_BY_CODE: dict[str, int] = {
    "TOKEN_MISSING": 401,
    "TOKEN_INVALID": 401,
    "TOKEN_EXPIRED": 401,
    "CLIENT_REVOKED": 401,
    "ADDRESS_NOT_ALLOWED": 403,
    "SCOPE_REQUIRED": 403,
    "ROLE_NOT_PERMITTED": 403,
    "ACTION_NOT_ALLOWED": 403,
    "TASK_NOT_YOURS": 403,
    "EXAMINER_REQUIRED": 403,
    "PERSON_NOT_AVAILABLE": 403,
    "NOT_FOUND": 404,
    "IDEMPOTENCY_KEY_REUSED": 422,
    "REPORT_ALREADY_IMPORTED": 409,
    "REQUEST_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "RATE_LIMITED": 429,
    "INTERNAL_ERROR": 500,
    "STATISTICS_NOT_AVAILABLE": 404,
    "UNKNOWN_PARAMETER": 422,
}

#: Every status an operation may answer with a problem (documented on every operation).
PROBLEM_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422, 429, 500)


def status_for(code: str) -> int:
    return STATUS_BY_CODE.get(code, 422)


def title_for(code: str) -> str:
    return code.replace("_", " ").capitalize()


def problem(
    request: HttpRequest | None,
    *,
    code: str,
    detail: str,
    status: int | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    status = status or status_for(code)
    body = {
        "type": f"urn:comeforward:error:{code}",
        "title": title_for(code),
        "status": status,
        "detail": detail,
        "code": code,
        "details": details or {},
    }
    if request is not None:
        body["instance"] = request.path
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_JSON,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
