"""Operations: request ids, structured JSON logs without personal data, Prometheus metrics.

* Every request gets an id (the proxy's ``X-Request-ID`` when it is a plausible id, else a new
  one), returned in the ``X-Request-ID`` header and put on every log line written while the
  request is handled, so one request's lines can be followed from the proxy to the worker.
* One access line per request: method, the URL *pattern* (``cases/<int:case_id>/``, never the
  path with its identifiers, never a query string), the view name, status and duration. No
  client address, no user agent, no user: the audit trail says who did what, the logs say how
  the service is doing (users-and-security §3.2: no request logs with addresses).
* Metrics (``/metrics``, Prometheus text format): requests and latencies by pattern from the
  middleware; queue depth, task failures and the sweeps' last results read from the task queue
  at scrape time. Under gunicorn's several processes the counters are shared through
  ``PROMETHEUS_MULTIPROC_DIR`` (set by ``comeforward.web.gunicorn_conf``).

docs/deploy.md "Logs", "Metrics and alerts".
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import re
import time
import uuid

from prometheus_client import Counter, Histogram

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_log = logging.getLogger("comeforward.access")

HTTP_REQUESTS = Counter(
    "comeforward_http_requests",
    "HTTP requests answered, by method, URL pattern and status code",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "comeforward_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern",
    ["route"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or ``-``) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# LogRecord attributes that are not "extra" fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
# Never written even if a caller passes them as extra (no personal data in logs).
_REDACTED = {"ip", "remote_addr", "client", "user_agent", "email", "query_string", "request"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        request = getattr(record, "request", None)
        if record.name.startswith(("django.request", "django.security")):
            # Django writes "Internal Server Error: /cases/9/" — the path has identifiers.
            message = str(record.args[0]) if record.args else str(record.msg).split(":")[0]
            if request is not None:
                record.route = _route(request)
        out = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in _REDACTED or key.startswith("_"):
                continue
            out[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            # The exception's type and where it was raised; the full traceback can hold
            # case data in local values, so it is kept out of shipped logs.
            exc_type = record.exc_info[0]
            out["exception"] = exc_type.__name__ if exc_type else "Exception"
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                out["where"] = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        return json.dumps(out, ensure_ascii=False, sort_keys=True)


def _route(request) -> str:
    """The URL pattern that matched (or would have: a middleware may answer first)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "<unmatched>"
    return "/" + (match.route or "")


class RequestIdMiddleware:
    """First middleware: request id in, request id out, one access log line, metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - started
        route = _route(request)
        response["X-Request-ID"] = request_id
        HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(route).observe(elapsed)
        match = getattr(request, "resolver_match", None)
        access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "route": route,
                "view": match.view_name if match else "",
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
