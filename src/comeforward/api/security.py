"""The one place an API call is let in (issue 18.2, 18.3): size limit, bearer token, caller
address, per-client rate limit and the operation's scope — in that order.

Every operation declares ``auth=ClientToken("<resource>:<action>")``; the scope matrix test
(tests/api/test_scope_matrix.py) walks every operation of the API and proves each one refuses
a call without a token, and one whose token lacks the operation's scope.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, transaction
from ninja.security.http import HttpAuthBase

from comeforward.audit.operations import Outcome
from comeforward.errors import DomainError

from . import services
from .models import ApiRateCounter
from .scopes import SCOPES

#: Default largest request body (JSON); the triage import allows more (``max_body``).
DEFAULT_MAX_BODY = 64 * 1024


class RequestTooLarge(DomainError):
    code = "REQUEST_TOO_LARGE"


class UnknownParameter(DomainError):
    code = "UNKNOWN_PARAMETER"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int, details=None):
        super().__init__(message, details=details)
        self.retry_after = retry_after


def rate_limit() -> tuple[int, int]:
    """``(requests, seconds)`` each client may make (``API_RATE_LIMIT``, e.g. ``"600/60"``)."""
    text = str(getattr(settings, "API_RATE_LIMIT", "600/60"))
    count, _, window = text.partition("/")
    return int(count), int(window or 60)


_UPSERT = (
    "INSERT INTO {table} (client_id, slot, count) VALUES (%s, %s, 1) "
    "ON CONFLICT (client_id) DO UPDATE SET "
    "count = CASE WHEN {table}.slot = excluded.slot THEN {table}.count + 1 ELSE 1 END, "
    "slot = excluded.slot RETURNING count"
)


def _bump_counter(client_id: int, slot: int) -> int:
    """Add one to the client's count in window ``slot`` (restarting it at 1 in a new window)
    and return the count: one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement,
    so concurrent processes never lose a call and nothing reads or locks a whole table.

    On PostgreSQL the counter's own transaction commits without waiting for the WAL flush
    (``synchronous_commit = off`` for that transaction only): the increment is visible to every
    process at once, and a crash could forget at most the last fraction of a second of counts
    — a rate limit needs no more. The call's audit record stays a fully durable commit. Inside
    an outer transaction (tests) the statement simply joins it, never changing its durability.
    """
    # The only interpolation is the model's own quoted table name; values are parameters.
    sql = _UPSERT.format(table=connection.ops.quote_name(ApiRateCounter._meta.db_table))
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if relaxed:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, [client_id, slot])
        return int(cursor.fetchone()[0])


def _count_call(request, client) -> None:
    """Fixed-window counter in the database (``ApiRateCounter``), shared by every web process."""
    limit, window = rate_limit()
    now = time.time()
    slot = int(now // window)
    count = _bump_counter(client.pk, slot)
    remaining = max(limit - count, 0)
    reset = int((slot + 1) * window - now) + 1
    request.api_rate_headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(reset),
    }
    if count > limit:
        raise RateLimited(
            f"This client may make {limit} calls every {window} seconds",
            retry_after=reset,
            details={"limit": limit, "window_seconds": window},
        )


class ClientToken(HttpAuthBase):
    """``Authorization: Bearer cf_…`` carrying ``scope``. On success the request acts as the
    client's service principal (``request.user``) and knows its client and scope."""

    openapi_scheme = "bearer"

    def __init__(self, scope: str, *, max_body: int = DEFAULT_MAX_BODY):
        if scope not in SCOPES:
            raise ValueError(f"Unknown scope {scope!r}")
        self.scope = scope
        self.max_body = max_body
        #: The query parameters the operation declares (``api.bind_query_names``); any other
        #: is refused, so that a misspelt filter cannot silently widen a list.
        self.query_names: frozenset[str] | None = None
        #: Those of them that may repeat (lists, e.g. ``state``); any other given twice is refused.
        self.query_lists: frozenset[str] = frozenset()
        super().__init__()

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(length)
        except ValueError:
            size = 0
        if size > self.max_body:
            raise RequestTooLarge(
                f"The request body may be at most {self.max_body} bytes",
                details={"max_bytes": self.max_body, "bytes": size},
            )
        header = request.headers.get("Authorization", "")
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise services.TokenMissing(
                "Send the client's token as 'Authorization: Bearer <token>'"
            )
        client = services.api_client_authenticate(
            token.strip(), address=request.META.get("REMOTE_ADDR")
        )
        _count_call(request, client)
        try:
            services.require_scope(client, self.scope)
        except services.ScopeRequired:
            services.api_call_audit(
                client=client,
                scope=self.scope,
                operation_id=_operation_id(request),
                records=[],
                outcome=Outcome.DENIED,
            )
            raise
        if self.query_names is not None:
            unknown = sorted(set(request.GET) - self.query_names)
            if unknown:
                raise UnknownParameter(
                    f"Unknown query parameter: {', '.join(unknown)[:200]}",
                    details={"unknown": unknown[:20], "known": sorted(self.query_names)},
                )
            repeated = sorted(
                k
                for k in request.GET
                if k not in self.query_lists and len(request.GET.getlist(k)) > 1
            )
            if repeated:
                raise UnknownParameter(
                    f"Give each of these query parameters once: {', '.join(repeated)}",
                    details={"repeated": repeated},
                )
        request.user = client.principal
        request.api_client = client
        request.api_scope = self.scope
        return client


def _operation_id(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.url_name if match and match.url_name else request.path
