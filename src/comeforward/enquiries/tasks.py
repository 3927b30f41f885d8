"""Background work for enquiries (Django tasks API; database queue in real life).

The purge runs daily in production (the worker's scheduler or cron enqueues it through
``comeforward enquiries_purge``): users-and-security §3.2 req. 8.
"""

from __future__ import annotations

from django_tasks import task

from .services import enquiries_purge_dormant


@task()
def enquiries_purge_dormant_task(retention_days: int | None = None) -> dict:
    erased = enquiries_purge_dormant(retention_days=retention_days)
    return {"erased": len(erased)}
