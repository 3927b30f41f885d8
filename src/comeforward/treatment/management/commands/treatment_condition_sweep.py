"""``comeforward treatment_condition_sweep [--today YYYY-MM-DD] [--now]``

Queues the daily sweep of caution conditions as a background task, or runs it at once with
``--now`` (``--today`` only with ``--now``, for a replay). Prints one JSON line. Errors
follow docs/interfaces.md: exit 2 with ``{"error": {...}}`` on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand

from comeforward.errors import DomainError
from comeforward.treatment.services import treatment_condition_sweep as run_sweep
from comeforward.treatment.tasks import treatment_condition_sweep


class InvalidSweepDate(DomainError):
    code = "TREATMENT_INVALID_SWEEP_DATE"


class Command(BaseCommand):
    help = "Open breach reviews for caution conditions whose deadline passed unmet."

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None, help="the day to sweep as (with --now)")
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args, today=None, now=False, **options):
        try:
            day = None
            if today is not None:
                if not now:
                    raise InvalidSweepDate(
                        "--today can be given only with --now", details={"today": today}
                    )
                try:
                    day = dt.date.fromisoformat(today)
                except ValueError:
                    raise InvalidSweepDate(
                        "--today must be a date as YYYY-MM-DD", details={"today": today}
                    ) from None
            if now:
                result = run_sweep(today=day)
            else:
                queued = treatment_condition_sweep.enqueue()
                status = getattr(queued.status, "value", queued.status)
                result = {"task_id": str(queued.id), "status": str(status)}
                if queued.is_finished:
                    result["result"] = queued.return_value
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps(result, sort_keys=True))
