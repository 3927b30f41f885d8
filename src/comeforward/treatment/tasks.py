"""Background work for treatment (Django tasks API; database queue in production).

``treatment_condition_sweep`` runs daily beside the register sweep: the worker's scheduler
or cron enqueues it through ``comeforward treatment_condition_sweep``.
"""

from __future__ import annotations

from django_tasks import task

from .services import treatment_condition_sweep as _sweep


@task()
def treatment_condition_sweep() -> dict:
    return _sweep()
