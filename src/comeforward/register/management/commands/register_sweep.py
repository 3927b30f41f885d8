"""``comeforward register_sweep [--horizon-days N] [--now]``

Queues the daily register reminder sweep as a background task, or runs it at once with
``--now``. Prints one JSON line. Errors follow docs/interfaces.md: exit 2 with
``{"error": {...}}`` on stdout.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from comeforward.errors import DomainError
from comeforward.register.errors import InvalidHorizon
from comeforward.register.services import DEFAULT_HORIZON_DAYS
from comeforward.register.services import register_sweep as run_sweep
from comeforward.register.tasks import register_sweep


class Command(BaseCommand):
    help = "Create reminders for register deadlines due soon or overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--horizon-days",
            type=int,
            default=DEFAULT_HORIZON_DAYS,
            help="remind of deadlines due within this many days",
        )
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args, horizon_days=DEFAULT_HORIZON_DAYS, now=False, **options):
        try:
            if horizon_days < 0 or horizon_days > 366:
                raise InvalidHorizon(
                    "The horizon must be between 0 and 366 days",
                    details={"horizon_days": horizon_days},
                )
            if now:
                result = run_sweep(horizon_days=horizon_days)
            else:
                queued = register_sweep.enqueue(horizon_days=horizon_days)
                status = getattr(queued.status, "value", queued.status)
                result = {"task_id": str(queued.id), "status": str(status)}
                if queued.is_finished:
                    result["result"] = queued.return_value
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps(result, sort_keys=True))
