"""``comeforward scheduler``: queue the daily sweeps and purges at their configured times.

Jobs and times: ``COMEFORWARD_SCHEDULE`` (docs/deploy.md), default register_sweep 02:00,
treatment_condition_sweep 02:15, enquiries_purge 03:00 (local time). The worker runs them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comeforward.web.scheduler import ScheduleError, parse_schedule, run_forever


class Command(BaseCommand):
    help = "Queue the daily sweeps and purges at their configured times (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="seconds between looks at the clock (default 30)",
        )
        parser.add_argument("--once", action="store_true", help="queue what is due now, then exit")

    def handle(self, *args, interval: float, once: bool, **options):
        try:
            schedule = parse_schedule(settings.COMEFORWARD_SCHEDULE)
        except ScheduleError as error:
            raise CommandError(f"COMEFORWARD_SCHEDULE: {error}")
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds")
        try:
            run_forever(schedule, interval=interval, once=once)
        except KeyboardInterrupt:
            return
