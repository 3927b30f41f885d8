"""The Prometheus exposition: process counters plus figures read from the database at scrape.

Read at scrape time (one query each, cheap): tasks by queue status (queue depth = ``READY``,
failures = ``FAILED``), the age of the oldest waiting task, and for each daily sweep when it
last succeeded and the numbers it returned. docs/deploy.md "Metrics and alerts".
"""

from __future__ import annotations

import datetime as dt

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from comeforward.web.health import SWEEPS
from comeforward.web.observability import multiprocess_dir


class QueueCollector:
    """Queue and sweep figures from django-tasks-db's table."""

    def collect(self):
        from django.db.models import Count, Max
        from django_tasks_db.models import DBTaskResult

        tasks = GaugeMetricFamily(
            "comeforward_tasks",
            "Background tasks in the queue's table, by status",
            labels=["status"],
        )
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            tasks.add_metric([status], counts.get(status, 0))
        yield tasks
        yield GaugeMetricFamily(
            "comeforward_task_queue_depth",
            "Tasks waiting for a worker (status READY)",
            value=counts.get("READY", 0),
        )
        yield GaugeMetricFamily(
            "comeforward_task_failures",
            "Tasks that ended in failure (status FAILED), all time",
            value=counts.get("FAILED", 0),
        )
        oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values("enqueued_at").first()
        age = (dt.datetime.now(dt.UTC) - oldest["enqueued_at"]).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "comeforward_task_oldest_waiting_seconds",
            "Age of the oldest task waiting for a worker (0 when none)",
            value=max(0.0, age),
        )
        last_ok = GaugeMetricFamily(
            "comeforward_sweep_last_success_timestamp_seconds",
            "When each daily sweep last finished successfully (Unix time; 0: never)",
            labels=["job"],
        )
        result = GaugeMetricFamily(
            "comeforward_sweep_last_result",
            "The numbers the last successful run of each sweep returned",
            labels=["job", "key"],
        )
        failed = GaugeMetricFamily(
            "comeforward_sweep_failures", "Failed runs of each sweep, all time", labels=["job"]
        )
        by_path = {path: job for job, path in SWEEPS.items()}
        finished = dict(
            DBTaskResult.objects.successful()
            .filter(task_path__in=list(by_path))
            .values_list("task_path")
            .annotate(last=Max("finished_at"))
            .order_by()
        )
        failures = dict(
            DBTaskResult.objects.failed()
            .filter(task_path__in=list(by_path))
            .values_list("task_path")
            .annotate(n=Count("id"))
            .order_by()
        )
        for path, job in sorted(by_path.items(), key=lambda item: item[1]):
            when = finished.get(path)
            last_ok.add_metric([job], when.timestamp() if when else 0)
            failed.add_metric([job], failures.get(path, 0))
            if when is None:
                continue
            row = (
                DBTaskResult.objects.successful()
                .filter(task_path=path, finished_at=when)
                .values_list("return_value", flat=True)
                .first()
            )
            if isinstance(row, dict):
                for key, value in sorted(row.items()):
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        result.add_metric([job, key], value)
        yield last_ok
        yield result
        yield failed


def exposition() -> tuple[bytes, str]:
    directory = multiprocess_dir()
    if directory:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
        process_part = generate_latest(registry)
    else:
        process_part = generate_latest(REGISTRY)
    db_registry = CollectorRegistry()
    db_registry.register(QueueCollector())
    return process_part + generate_latest(db_registry), CONTENT_TYPE_LATEST
