"""``comeforward enquiries_purge [--retention-days N] [--now]``

Queues the erasure of dormant anonymous enquiries (default: ``ENQUIRY_RETENTION_DAYS``) as a
background task, or runs it at once with ``--now``. Prints one JSON line. Errors follow
docs/interfaces.md: exit 2 with ``{"error": {...}}`` on stdout.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from comeforward.enquiries.errors import InvalidRetention
from comeforward.enquiries.services import enquiries_purge_dormant
from comeforward.enquiries.tasks import enquiries_purge_dormant_task
from comeforward.errors import DomainError


class Command(BaseCommand):
    help = "Erase anonymous enquiries with no activity for the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retention-days",
            type=int,
            default=None,
            help="erase after this many days without activity (ENQUIRY_RETENTION_DAYS)",
        )
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args, retention_days=None, now=False, **options):
        try:
            if retention_days is not None and retention_days < 1:
                raise InvalidRetention(
                    "The retention period must be a whole number of days, at least 1",
                    details={"retention_days": retention_days},
                )
            if now:
                erased = enquiries_purge_dormant(retention_days=retention_days)
                result = {"erased": len(erased)}
            else:
                queued = enquiries_purge_dormant_task.enqueue(retention_days=retention_days)
                status = getattr(queued.status, "value", queued.status)
                result = {"task_id": str(queued.id), "status": str(status)}
                if queued.is_finished:
                    result["result"] = queued.return_value
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps(result, sort_keys=True))
