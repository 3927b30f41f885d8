"""Background work: the nightly refresh of the materialised figures (web/scheduler.py job
``statistics_refresh``)."""

from __future__ import annotations

from django_tasks import task

from .services import figures_refresh


@task()
def statistics_refresh() -> dict:
    snapshots = figures_refresh()
    return {"forces": len(snapshots), "cases": sum(s.cases for s in snapshots)}
