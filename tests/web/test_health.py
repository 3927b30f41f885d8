"""/healthz, /readyz and /metrics (web/health.py, web/metrics.py; docs/deploy.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from comeforward.web import health

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests-0123456789"


def test_liveness_needs_nothing():
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readiness_checks_database_queue_and_audit():
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "queue", "audit"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_readiness_fails_closed_when_a_check_cannot_run(monkeypatch):
    def broken():
        raise RuntimeError("queue table unreadable")

    monkeypatch.setitem(health.CHECKS, "queue", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == {"ok": False, "code": "QUEUE_UNAVAILABLE"}
    assert response.json()["ready"] is False


def test_readiness_when_the_database_is_down_fails_every_check(monkeypatch):
    def down():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert {name: c["ok"] for name, c in response.json()["checks"].items()} == {
        "database": False,
        "queue": False,
        "audit": False,
    }


def test_metrics_need_the_token(settings):
    settings.METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 404
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    ok = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("text/plain")


def test_without_a_token_metrics_are_for_direct_loopback_callers_only(settings):
    settings.METRICS_TOKEN = None
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.0.0.8").get("/metrics").status_code == 404
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get("/metrics").status_code == 404


def test_metrics_report_requests_queue_failures_and_sweeps(settings):
    from django.utils import timezone

    settings.METRICS_TOKEN = TOKEN
    Client().get("/healthz")
    now = timezone.now()
    common = {"args_kwargs": {}, "backend_name": "default", "run_after": now}
    DBTaskResult.objects.create(task_path="comeforward.x", status="READY", **common)
    DBTaskResult.objects.create(task_path="comeforward.x", status="FAILED", **common)
    DBTaskResult.objects.create(
        task_path="comeforward.register.tasks.register_sweep",
        status="SUCCESSFUL",
        finished_at=now,
        return_value={"reminders_created": 4, "scanned": 12},
        **common,
    )
    text = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    healthz = (("method", "GET"), ("route", "/healthz"), ("status", "200"))
    assert samples[("comeforward_http_requests_total", healthz)] >= 1
    assert ("comeforward_http_request_duration_seconds_count", (("route", "/healthz"),)) in samples
    assert samples[("comeforward_task_queue_depth", ())] == 1
    assert samples[("comeforward_task_failures", ())] == 1
    assert samples[("comeforward_tasks", (("status", "SUCCESSFUL"),))] == 1
    last = "comeforward_sweep_last_success_timestamp_seconds"
    assert samples[(last, (("job", "register_sweep"),))] == pytest.approx(now.timestamp())
    assert samples[(last, (("job", "enquiries_purge"),))] == 0
    result = "comeforward_sweep_last_result"
    key = (("job", "register_sweep"), ("key", "reminders_created"))
    assert samples[(result, key)] == 4


def test_readiness_fails_when_the_audit_anchor_disagrees(monkeypatch):
    from comeforward.audit import selectors

    monkeypatch.setattr(
        selectors,
        "anchor_status",
        lambda: {"ok": False, "code": "AUDIT_TRUNCATED", "path": "/secret/path"},
        raising=False,
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["audit"] == {"ok": False, "code": "AUDIT_TRUNCATED"}
    assert b"/secret/path" not in response.content


def test_readiness_reads_the_audit_chain_head_without_the_anchor(monkeypatch):
    from comeforward.audit import selectors

    monkeypatch.delattr(selectors, "anchor_status", raising=False)
    calls = []
    monkeypatch.setattr(selectors, "audit_chain_head", lambda: calls.append(1))
    assert Client().get("/readyz").status_code == 200
    assert calls == [1]
