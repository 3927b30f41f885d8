"""The scheduler: queues the daily sweeps and purges at their configured times.

``comeforward scheduler`` runs beside the worker (docs/deploy.md). Each job in
``settings.COMEFORWARD_SCHEDULE`` (name → local time ``HH:MM`` in ``TIME_ZONE``) is queued once a
day, at or after its time, on the database task queue; the worker runs it. The queue itself is
the scheduler's memory: a job counts as queued today when the queue holds a task for it enqueued
since today's scheduled time. So a restarted scheduler catches up a missed run, never queues a
job twice, and two schedulers (one per machine, for redundancy) queue it once between them
(PostgreSQL advisory lock around check-and-queue).

The due-rule (:func:`due_jobs`) is pure and tested at its edges.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

logger = logging.getLogger("comeforward.scheduler")

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
ADVISORY_LOCK_KEY = 0x636F6D65  # "come"


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    enqueue: Callable[[], object]


def _register_sweep():
    from comeforward.register.tasks import register_sweep

    return register_sweep.enqueue()


def _treatment_condition_sweep():
    from comeforward.treatment.tasks import treatment_condition_sweep

    return treatment_condition_sweep.enqueue()


def _enquiries_purge():
    from comeforward.enquiries.tasks import enquiries_purge_dormant_task

    return enquiries_purge_dormant_task.enqueue()


def _statistics_refresh():
    from comeforward.statistics.tasks import statistics_refresh

    return statistics_refresh.enqueue()


JOBS: dict[str, Job] = {
    "register_sweep": Job(
        "register_sweep", "comeforward.register.tasks.register_sweep", _register_sweep
    ),
    "treatment_condition_sweep": Job(
        "treatment_condition_sweep",
        "comeforward.treatment.tasks.treatment_condition_sweep",
        _treatment_condition_sweep,
    ),
    "enquiries_purge": Job(
        "enquiries_purge",
        "comeforward.enquiries.tasks.enquiries_purge_dormant_task",
        _enquiries_purge,
    ),
    "statistics_refresh": Job(
        "statistics_refresh",
        "comeforward.statistics.tasks.statistics_refresh",
        _statistics_refresh,
    ),
}


class ScheduleError(ValueError):
    """The schedule setting names an unknown job or a time that is not HH:MM."""


def parse_schedule(raw: Mapping[str, str] | str) -> dict[str, dt.time]:
    """``{"register_sweep": "02:00", …}`` or ``"register_sweep=02:00,…"`` → job → time."""
    if isinstance(raw, str):
        pairs = {}
        for item in filter(None, (part.strip() for part in raw.split(","))):
            name, _, at = item.partition("=")
            pairs[name.strip()] = at.strip()
        raw = pairs
    schedule = {}
    for name, at in raw.items():
        if name not in JOBS:
            raise ScheduleError(f"unknown scheduled job {name!r}; known: {', '.join(JOBS)}")
        match = _TIME.match(at)
        if not match:
            raise ScheduleError(f"the time for {name} must be HH:MM (24-hour), not {at!r}")
        schedule[name] = dt.time(int(match.group(1)), int(match.group(2)))
    return schedule


def scheduled_instant(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant (UTC) of local time ``at`` on ``day``.

    A time that happens twice when the clocks go back runs at the first of the two; a time
    skipped when they go forward runs an hour later by the clock (Python's ``fold=0``).
    """
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def due_jobs(
    now: dt.datetime,
    schedule: Mapping[str, dt.time],
    last_enqueued: Mapping[str, dt.datetime | None],
    zone: ZoneInfo,
) -> list[str]:
    """Jobs whose time today has come and that were not queued since then (sorted)."""
    today = now.astimezone(zone).date()
    due = []
    for name, at in sorted(schedule.items()):
        instant = scheduled_instant(today, at, zone)
        if now < instant:
            continue
        last = last_enqueued.get(name)
        if last is None or last < instant:
            due.append(name)
    return due


def last_enqueued(names: list[str]) -> dict[str, dt.datetime | None]:
    """When each job was last put on the queue (any status), from the queue's own table."""
    from django.db.models import Max
    from django_tasks_db.models import DBTaskResult

    paths = {JOBS[name].task_path: name for name in names}
    rows = (
        DBTaskResult.objects.filter(task_path__in=list(paths))
        .values("task_path")
        .annotate(last=Max("enqueued_at"))
    )
    found = {paths[row["task_path"]]: row["last"] for row in rows}
    return {name: found.get(name) for name in names}


def _locked(connection):
    """Hold a PostgreSQL advisory lock for the check-and-queue (no-op on SQLite)."""
    from contextlib import contextmanager

    @contextmanager
    def hold():
        if connection.vendor != "postgresql":
            yield True
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])

    return hold()


def tick(schedule: Mapping[str, dt.time], now: dt.datetime | None = None) -> list[str]:
    """Queue every job that is due now; returns the names queued."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    queued = []
    with _locked(connection) as got:
        if not got:
            return []
        for name in due_jobs(now, schedule, last_enqueued(list(schedule)), zone):
            result = JOBS[name].enqueue()
            logger.info("queued scheduled job", extra={"job": name, "task_id": str(result.id)})
            queued.append(name)
    return queued


def run_forever(schedule: Mapping[str, dt.time], *, interval: float, once: bool) -> None:
    from django.db import close_old_connections

    while True:
        close_old_connections()
        try:
            tick(schedule)
        except Exception:  # the database may be away for a moment: log, wait, try again
            logger.exception("scheduler tick failed")
            if once:
                raise
        if once:
            return
        time.sleep(interval)
