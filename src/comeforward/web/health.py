"""Liveness, readiness and metrics endpoints (docs/deploy.md "Health", "Metrics and alerts").

* ``/healthz`` (liveness, ``accounts.views.healthz``): the process answers. No database, so
  a database outage does not get every web process restarted.
* ``/readyz`` (readiness): the database answers, the task queue's table is readable and the
  audit chain's head and anchor are sound. 200 with ``{"ready": true, …}`` or 503 with the
  failing check's code; nothing else (no counts, paths or versions) for an anonymous caller.
* ``/metrics``: Prometheus text format. Served to a caller with
  ``Authorization: Bearer <COMEFORWARD_METRICS_TOKEN>``; with no token configured, only to a
  direct loopback caller (no ``X-Forwarded-For``, so never through the proxy). Else 404.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("comeforward.health")

SWEEPS = {
    "register_sweep": "comeforward.register.tasks.register_sweep",
    "treatment_condition_sweep": "comeforward.treatment.tasks.treatment_condition_sweep",
    "enquiries_purge": "comeforward.enquiries.tasks.enquiries_purge_dormant_task",
}


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _check_queue() -> dict:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().order_by("enqueued_at").values("enqueued_at").first()
    oldest = (dt.datetime.now(dt.UTC) - waiting["enqueued_at"]).total_seconds() if waiting else 0.0
    # A queue that is reachable but not being worked is an alert (metrics), not unreadiness:
    # the web process can serve while the workers are away.
    return {"ok": True, "oldest_waiting_seconds": round(oldest)}


def _check_audit() -> dict:
    from comeforward.audit import selectors

    # Where the audit anchor is installed (ADR 0008), its cheap status check; otherwise the
    # chain's head must at least be readable.
    status = getattr(selectors, "anchor_status", None)
    if status is not None:
        result = status()
        return {"ok": bool(result.get("ok")), "code": result.get("code")}
    selectors.audit_chain_head()
    return {"ok": True, "code": None}


CHECKS = {"database": _check_database, "queue": _check_queue, "audit": _check_audit}


def readiness() -> tuple[bool, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a check that cannot run fails closed
            logger.warning("readiness check failed", extra={"check": name})
            results[name] = {"ok": False, "code": f"{name.upper()}_UNAVAILABLE"}
            if name == "database":  # the others need the database too
                for rest in CHECKS:
                    results.setdefault(rest, {"ok": False, "code": "DATABASE_UNAVAILABLE"})
                del error
                break
    ready = all(result["ok"] for result in results.values())
    return ready, results


@never_cache
@require_GET
def readyz(request):
    ready, results = readiness()
    body = {
        "ready": ready,
        "checks": {
            name: {"ok": r["ok"], **({"code": r["code"]} if r.get("code") else {})}
            for name, r in results.items()
        },
    }
    return JsonResponse(body, status=200 if ready else 503)


def _metrics_allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", None)
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token:
        given = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())
    direct = "HTTP_X_FORWARDED_FOR" not in request.META and "HTTP_FORWARDED" not in request.META
    return direct and request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


@never_cache
@require_GET
def metrics(request):
    if not _metrics_allowed(request):
        return HttpResponse("Not found", status=404, content_type="text/plain")
    from comeforward.web.metrics import exposition

    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
