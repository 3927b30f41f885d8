"""``comeforward demo``: database, synthetic data, web server and background worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from comeforward.demo.data import (
    DEMO_PASSWORD,
    SECOND_SUPERVISOR_EMAIL,
    USERS,
    demo_email,
    load_demo_data,
)
from comeforward.web.apps import sqlite_file_create_private


class Command(BaseCommand):
    help = "Set up the demo database and data, then run the web server and the worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="web server port (8000)")
        parser.add_argument("--no-serve", action="store_true", help="Set up only")

    def handle(self, *args, port: int, no_serve: bool, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        # The demo database holds (fictional) special-category data: owner-only (issue 11.8).
        sqlite_file_create_private(settings.DATABASES["default"])
        call_command("migrate", verbosity=0, interactive=False)
        load_demo_data()
        self._print_welcome(port)
        if no_serve:
            return
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        base = [sys.executable, "-m", "comeforward.cli"]
        worker = subprocess.Popen([*base, "worker"], env=env)
        server = subprocess.Popen([*base, "serve", f"127.0.0.1:{port}"], env=env)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in (server, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _print_welcome(self, port: int) -> None:
        lines = [
            "",
            f"comeforward demo is running at http://127.0.0.1:{port}/  (Ctrl-C stops it)",
            "All people and cases are fictional. Sign in as any of these users:",
        ]
        lines += [f"  {demo_email(role):40} {name}" for role, name, _ in USERS]
        lines += [f"  {SECOND_SUPERVISOR_EMAIL:40} second supervisor (approves decisions)"]
        lines += [
            f"Password for every demo user: {DEMO_PASSWORD}",
            "Security code (MFA): run  ./comeforward demo_code EMAIL  in another terminal",
            "(the code changes every 30 seconds), or add the user's key to an authenticator app.",
            "The background worker runs alongside the web server.",
            "",
        ]
        self.stdout.write("\n".join(lines))
