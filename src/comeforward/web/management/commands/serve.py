"""``comeforward serve``: the web server.

Production (any settings without ``DEMO_MODE``): gunicorn, a real WSGI server, with the
settings in :mod:`comeforward.web.gunicorn_conf` (workers, timeouts, JSON logs, metrics across
worker processes). The demo: Django's threaded server, which also serves the built assets.
``--dev`` / ``--gunicorn`` choose explicitly. docs/deploy.md.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the web server on ADDRESS:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="where to listen")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--gunicorn", action="store_true", help="use gunicorn (the default in production)"
        )
        group.add_argument(
            "--dev",
            action="store_true",
            help="use Django's development server (the default in the demo)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn worker processes (default: COMEFORWARD_WEB_WORKERS or 2×cores+1)",
        )

    def handle(self, *args, addrport: str, gunicorn: bool, dev: bool, workers, **options):
        use_gunicorn = gunicorn or (not dev and not settings.DEMO_MODE)
        if not use_gunicorn:
            call_command("runserver", addrport, use_reloader=False, use_threading=True)
            return
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:comeforward.web.gunicorn_conf",
            "--bind",
            addrport,
        ]
        if workers:
            argv += ["--workers", str(workers)]
        argv.append("comeforward.web.wsgi:application")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, our own interpreter
