"""Benchmark: the statistics dashboard and pages at 1,000,000 people and 200,000 cases on
PostgreSQL (issue 14.9), beside a bare Django page in the same run, and the nightly refresh
that materialises the figures.

Seeds (once, ``comeforward.demo.seed`` with outcomes: status histories, recommendations,
follow-up events from PNC checks, equality answers; referrals over 6 years so that 5-year
follow-up windows fill) into the database named by ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/comeforward_stats``, created if missing). Then:

1. the refresh (``statistics.services.figures_refresh``): reads every source table once for
   the force and computes every published table — timed, phase by phase;
2. each page, N requests in-process with Django's test ``Client`` (full middleware,
   sessions, MFA check, templates), median and p95, next to ``/healthz``.

Target: p95 ≤ 300 ms per page. ``--people``/``--cases`` run a smaller scale when the full one
does not fit the machine (say so beside the figures).

    uv run python bench/statistics_pages.py [--people 1000000] [--cases 200000] [--requests 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from pagebench import measure, setup_django, signed_in_client  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/comeforward_stats"
TARGET_P95_MS = 300.0


def _setup(url: str) -> None:
    setup_django(url)


def _seed_if_needed(people: int, cases: int) -> dict:
    from django.core.management import call_command

    from comeforward.cases.selectors import cases_visible_to  # noqa: F401 - app loaded
    from comeforward.demo.seed import seed

    call_command("migrate", verbosity=0, interactive=False)
    from django.apps import apps

    Person, Case = apps.get_model("people.Person"), apps.get_model("cases.Case")
    have_people, have_cases = Person.objects.count(), Case.objects.count()
    more_cases = max(0, cases - have_cases)
    more_people = max(more_cases, people - have_people)
    if more_people or more_cases:
        started = time.perf_counter()
        result = seed(people=more_people, cases=more_cases, years=6)
        print(
            f"seeded {result.people:,} people, {result.cases:,} cases, "
            f"{result.status_changes:,} status changes, {result.follow_up_events:,} follow-up "
            f"events in {time.perf_counter() - started:.1f} s"
        )
    return {"people": Person.objects.count(), "cases": Case.objects.count()}


def _client_for(email: str):
    from comeforward.accounts.selectors import user_by_email

    user = user_by_email(email)
    return user, signed_in_client(user)


def _measure(client, url: str, requests: int, warmup: int = 3) -> list[float]:
    return measure(client, url, requests, warmup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args(argv)
    _setup(args.database_url)
    counts = _seed_if_needed(args.people, args.cases)
    print(f"database: {counts['people']:,} people, {counts['cases']:,} cases")

    from comeforward.demo.seed import seed_email
    from comeforward.roles import Role
    from comeforward.statistics import services, sources
    from comeforward.statistics.domain.figures import compute
    from comeforward.statistics.selectors import PAGES

    user, client = _client_for(seed_email(Role.SUPERVISOR))
    from django.utils import timezone

    started = time.perf_counter()
    inputs = sources.gather(user.organisation_id, timezone.localdate())
    gathered = time.perf_counter() - started
    started = time.perf_counter()
    compute(inputs)
    computed = time.perf_counter() - started
    started = time.perf_counter()
    (snapshot,) = services.figures_refresh(organisation_id=user.organisation_id, full=True)
    refreshed = time.perf_counter() - started
    print(
        f"\nnightly refresh of one force ({snapshot.cases:,} cases): {refreshed:.1f} s in all "
        f"(reading the source tables {gathered:.1f} s, computing and suppressing every table "
        f"{computed:.1f} s)"
    )
    # The incremental refresh the same day with no write audited since: the snapshot is kept.
    started = time.perf_counter()
    (kept,) = services.figures_refresh(organisation_id=user.organisation_id)
    print(
        f"incremental refresh, nothing changed since: {time.perf_counter() - started:.3f} s "
        f"(snapshot kept: {kept.pk == snapshot.pk})"
    )

    pages = [("bare Django page /healthz", "/healthz"), ("dashboard", "/statistics/")]
    pages += [(f"page: {name}", f"/statistics/{name}") for name in PAGES]
    pages += [
        ("CSV export (funnel by quarter)", "/statistics/export/funnel_quarter.csv"),
        ("ODS export (every table)", "/statistics/export/all.ods"),
    ]
    rows = []
    for label, url in pages:
        times = _measure(client, url, args.requests)
        rows.append((label, statistics.median(times), statistics.quantiles(times, n=20)[18]))
    base = rows[0][2]
    print(
        f"\nstatistics pages at {counts['people']:,} people / {counts['cases']:,} cases, "
        f"{args.requests} requests each, in-process Django test Client on PostgreSQL"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'p95 / healthz':>14} {'≤300 ms':>8}")
    for label, median, p95 in rows:
        ok = "yes" if p95 <= TARGET_P95_MS else "NO"
        print(f"{label:34} {median:10.1f} {p95:8.1f} {p95 / base:13.1f}× {ok:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
