"""``comeforward worker``: run background tasks from the database queue (django-tasks-db).

Any number of workers may run, on any machine that reaches the database: the queue hands
each task to one worker (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL). Triage workers on
forensic workstations are workers like any other, each with its own working directory
(``COMEFORWARD_TRIAGE_OUTPUT_DIR``); docs/deploy.md "More than one machine".
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty (default 1)",
        )
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty")

    def handle(self, *args, interval: float, batch: bool, **options):
        extra = ["--batch"] if batch else []
        call_command("db_worker", "--interval", str(interval), *extra)
