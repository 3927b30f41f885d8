"""Benchmark: server time of the integration API's list and read operations at national
scale on PostgreSQL, against a bare Django page in the same run (issue 18.6).

Seeds PostgreSQL with synthetic data (``comeforward seed``; ARCHITECTURE.md §6: 1 million
people, 200,000 cases) unless it already holds that much, adds register records for the
seeded force's cautioned and later cases (up to ``--records``), registers API clients of that
force (a supervisor, an offender manager, an administrator), then drives the operations
in-process with Django's test ``Client`` (full middleware, token check, the rate-limit
counter's one upsert, need-to-know selectors, the durable audit record every call writes)
and prints median and p95 per operation next to ``/healthz``, with the ratio. Target: p95 ≤ 100 ms.

    uv run python bench/api_lists.py                                   # 1 M people, 200 k cases
    uv run python bench/api_lists.py --people 100000 --cases 20000 --requests 100   # quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

from pagebench import ensure_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/comeforward_bench_api"
TARGET_P95_MS = 100.0
REGISTER_STATES = ("cautioned", "in_treatment", "completed")


def _setup(url: str) -> None:
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
    settings.API_RATE_LIMIT = "100000000/60"  # measure the counter, never hit it


def _seed(people: int, cases: int, records: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from comeforward.cases.models import Case
    from comeforward.demo.seed import SEED_FORCE, seed
    from comeforward.people.models import Person
    from comeforward.register.models import RegisterRecord

    call_command("migrate", verbosity=0, interactive=False)
    have_people, have_cases = Person.objects.count(), Case.objects.count()
    more_cases = max(0, cases - have_cases)
    more_people = max(more_cases, people - have_people)
    if more_people or more_cases:
        started = time.perf_counter()
        result = seed(people=more_people, cases=more_cases)
        print(
            f"seeded {result.people:,} people and {result.cases:,} cases "
            f"({result.tasks:,} tasks) in {time.perf_counter() - started:.1f} s"
        )
    have_records = RegisterRecord.objects.count()
    if have_records < records:
        started = time.perf_counter()
        rng = random.Random(20261203 + have_records)
        today = dt.date.today()
        candidates = (
            Case.objects.filter(
                owning_organisation__code=SEED_FORCE[1],
                state__in=REGISTER_STATES,
                register_record__isnull=True,
            )
            .select_related("person")
            .order_by("pk")[: records - have_records]
        )
        rows = []
        for case in candidates:
            relevant = today - dt.timedelta(days=rng.randrange(1, 729))
            periodic = today + dt.timedelta(days=rng.randrange(-30, 366))
            rows.append(
                RegisterRecord(
                    case=case,
                    owning_organisation_id=case.owning_organisation_id,
                    offence="CJA1988_S160",
                    offence_date=relevant - dt.timedelta(days=200),
                    offender_dob=case.person.date_of_birth or dt.date(1980, 1, 1),
                    youngest_depicted_age=12,
                    disposal_type="simple_caution",
                    relevant_date=relevant,
                    period_text="2 years",
                    last_day=relevant + dt.timedelta(days=729),
                    next_periodic_due=periodic,
                    next_due=periodic,
                )
            )
        with transaction.atomic():
            RegisterRecord.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE register_registerrecord")
        print(f"added {len(rows):,} register records in {time.perf_counter() - started:.1f} s")
    return {
        "people": Person.objects.count(),
        "cases": Case.objects.count(),
        "records": RegisterRecord.objects.count(),
    }


def _clients():
    from django.test import Client
    from django.utils import timezone

    from comeforward.accounts import selectors as account_selectors
    from comeforward.api.scopes import SCOPES
    from comeforward.api.services import api_client_create
    from comeforward.demo.seed import SEED_FORCE
    from comeforward.roles import Role

    force = account_selectors.organisations_all().get(code=SEED_FORCE[1])
    expires = timezone.now() + dt.timedelta(days=1)
    made = {}
    for key, role, scopes in (
        ("force", Role.SUPERVISOR, [s for s in SCOPES if s != "audit:read"]),
        ("om", Role.OFFENDER_MANAGER, ["register:read"]),
        ("dpo", Role.ADMINISTRATOR, ["audit:read"]),
    ):
        client, token = api_client_create(
            actor=None,
            name=f"Bench {key}",
            purpose="Benchmark",
            organisation=force,
            role=role,
            scopes=scopes,
            expires_at=expires,
        )
        made[key] = (client, Client(headers={"Authorization": f"Bearer {token}"}))
    return made


def _measure(client, urls: list[str], requests: int, warmup: int = 5) -> list[float]:
    for url in urls[:warmup]:
        client.get(url)
    times = []
    for n in range(requests):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]}")
    return times


def _floors(requests: int, client_id: int) -> list[tuple[str, float, float]]:
    """The machine's limits for an audited call, measured in the same run: one durable
    PostgreSQL commit (a one-row insert), the rate-limit counter's increment (one upsert,
    not waiting for the WAL flush), and one audit record (advisory lock, chain head, insert,
    durable commit) — every API call makes the last two, whatever it reads."""
    from django.db import connection, transaction

    from comeforward.api.security import _bump_counter
    from comeforward.audit.services import audit_record

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (id serial, at timestamptz)")

    def commit():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_commit_probe (at) VALUES (now())")

    probes = [
        ("floor: one durable commit", commit),
        ("floor: rate counter increment", lambda: _bump_counter(client_id, 1)),
        (
            "floor: one audit record",
            lambda: audit_record(
                actor=None, operation="collect", subject_type="bench", scope="bench.floor"
            ),
        ),
    ]
    rows = []
    for label, probe in probes:
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            probe()
            times.append((time.perf_counter() - started) * 1000)
        rows.append((label, statistics.median(times), statistics.quantiles(times, n=20)[18]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=20_000, help="register records")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args(argv)
    _setup(args.database_url)
    counts = _seed(args.people, args.cases, args.records)

    from comeforward.cases import selectors as case_selectors
    from comeforward.register import selectors as register_selectors

    clients = _clients()
    force_client, force = clients["force"]
    _om_client, om = clients["om"]
    _dpo_client, dpo = clients["dpo"]
    rng = random.Random(7)
    principal = force_client.principal
    sample = list(
        case_selectors.cases_visible_to(principal)
        .order_by("-pk")
        .values_list("pk", "person_id", "person__family_name")[:20000]
    )
    picks = rng.sample(sample, min(len(sample), 200))
    records = list(
        register_selectors.records_visible_to(_om_client.principal).values_list("pk", flat=True)[
            :20000
        ]
    )
    record_picks = rng.sample(records, min(len(records), 200))
    deep = force.get("/api/v1/cases?limit=100").json()
    for _ in range(20):  # a cursor 21 pages deep
        deep = force.get(f"/api/v1/cases?limit=100&cursor={deep['next_cursor']}").json()
    n = args.requests
    operations = [
        ("bare Django page /healthz", force, ["/healthz"]),
        ("cases: first page (100)", force, ["/api/v1/cases?limit=100"]),
        (
            "cases: page 22 by cursor",
            force,
            [f"/api/v1/cases?limit=100&cursor={deep['next_cursor']}"],
        ),
        ("cases: filtered by state", force, ["/api/v1/cases?state=forensic_review&limit=100"]),
        ("cases: changed since", force, ["/api/v1/cases?changed_since=2026-01-01T00:00:00Z"]),
        ("cases: read", force, [f"/api/v1/cases/{pk}" for pk, _, _ in picks]),
        ("people: lookup by name", force, [f"/api/v1/people?name={f}" for _, _, f in picks]),
        ("people: read", force, [f"/api/v1/people/{p}" for _, p, _ in picks]),
        ("tasks: open tasks", force, ["/api/v1/tasks?limit=100"]),
        (
            "exhibits: case's exhibits",
            force,
            [f"/api/v1/cases/{pk}/exhibits" for pk, _, _ in picks],
        ),
        ("register: records (100)", om, ["/api/v1/register/records?limit=100"]),
        ("register: read", om, [f"/api/v1/register/records/{pk}" for pk in record_picks]),
        (
            "register: notifications",
            om,
            [f"/api/v1/register/records/{pk}/notifications" for pk in record_picks],
        ),
        ("audit: extract (100)", dpo, ["/api/v1/audit/events?limit=100"]),
    ]
    rows = []
    for label, client, urls in operations:
        times = _measure(client, urls, n)
        rows.append((label, statistics.median(times), statistics.quantiles(times, n=20)[18]))
    rows[1:1] = _floors(n, _dpo_client.pk)
    base = rows[0][2]
    print(
        f"\nintegration API at {counts['people']:,} people / {counts['cases']:,} cases / "
        f"{counts['records']:,} register records, {n} requests each, "
        "in-process Django test Client on PostgreSQL"
    )
    print(f"{'operation':32} {'median ms':>10} {'p95 ms':>8} {'p95 / healthz':>14} {'≤100 ms':>8}")
    for label, median, p95 in rows:
        ok = "yes" if p95 <= TARGET_P95_MS else "NO"
        print(f"{label:32} {median:10.1f} {p95:8.1f} {p95 / base:13.1f}× {ok:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
