"""What every page benchmark shares: a PostgreSQL database made if missing, Django set up on
it, a signed-in test client (password and second factor, as a user's session has them) and
the timing loop. Used by case_pages.py, register_queues.py and statistics_pages.py; each keeps
only its own seeding, pages and report (docs/benchmarks.md says what each measures)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def ensure_database(url: str) -> None:
    """Create the database ``url`` names when it does not exist (PostgreSQL)."""
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    """Django on ``url`` with the demo settings, the test client's host allowed."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comeforward.web.settings.dev")
    os.environ.setdefault("COMEFORWARD_VAR_DIR", "/tmp/comeforward-bench-var")
    Path(os.environ["COMEFORWARD_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]


def signed_in_client(user):
    """A test client signed in as ``user`` with their second factor verified."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


def measure(client, urls: str | Sequence[str], requests: int, warmup: int = 5) -> list[float]:
    """Milliseconds for each of ``requests`` GETs (cycling through ``urls``), after
    ``warmup`` unmeasured ones; any answer but 200 stops the benchmark."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    for n in range(warmup):
        client.get(urls[n % len(urls)])
    times = []
    for n in range(requests):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times
