"""Background work for the register (Django tasks API; database queue in production).

``register_sweep`` runs daily: the worker's scheduler or cron enqueues it through
``comeforward register_sweep``.
"""

from __future__ import annotations

from django_tasks import task

from .services import DEFAULT_HORIZON_DAYS
from .services import register_sweep as _sweep


@task()
def register_sweep(horizon_days: int = DEFAULT_HORIZON_DAYS) -> dict:
    return _sweep(horizon_days=horizon_days)
