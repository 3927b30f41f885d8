"""Benchmark: the offender managers' register queues at 100,000 people under requirements,
against a bare Django page, and the daily sweep (issue 13.8).

Seeds (once, seeded random) N synthetic register records of one force — fictional people and
cases, next due dates spread from 60 days ago to a year ahead, managers, areas, ARMS levels,
some records late or ending soon, 1 % abroad now — into the database named by
``--database-url`` (default ``postgres://postgres@127.0.0.1:5432/cf_register``, created if
missing), then in one run measures server time in-process with Django's test ``Client`` (full
middleware, sessions, MFA check, templates) for every queue and filter, next to ``/healthz``,
and the daily sweep (first run of the day, then again). Targets: p95 ≤ 150 ms; sweep < 5 s.

    uv run python bench/register_queues.py [--records 100000] [--requests 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

from pagebench import measure, setup_django, signed_in_client  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cf_register"
TARGET_P95_MS = 150.0
MANAGERS = 20
AREAS = [f"Area {n}" for n in range(1, 11)]
LEVELS = ["low", "medium", "high", "very_high"]


def _setup(url: str) -> None:
    setup_django(url)


def _managers(force):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from comeforward.accounts.models import User

    users = []
    for n in range(MANAGERS):
        user, created = User.objects.get_or_create(
            email=f"om{n}@bench.invalid",
            defaults={
                "full_name": f"Bench Manager {n}",
                "role": "offender_manager",
                "organisation": force,
            },
        )
        if created or not user.totpdevice_set.exists():
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        users.append(user)
    return users


def seed(n: int):
    """Create records up to ``n`` (idempotent: only the missing ones)."""
    from django.db import connection, transaction

    from comeforward.accounts.models import Organisation
    from comeforward.cases.models import Case
    from comeforward.people.models import Person
    from comeforward.register.models import RegisterRecord, Trip

    force, _ = Organisation.objects.get_or_create(
        code="bench-force",
        defaults={"name": "Benchshire Police (synthetic)", "kind": "police_force"},
    )
    managers = _managers(force)
    have = RegisterRecord.objects.count()
    if have >= n:
        return force, managers, have
    rng = random.Random(20260101 + have)
    today = dt.date.today()
    batch = 10_000
    with transaction.atomic():
        for start in range(have, n, batch):
            size = min(batch, n - start)
            people = Person.objects.bulk_create(
                [
                    Person(
                        given_names=f"Bench{start + i}",
                        family_name="Synthetic",
                        date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000)),
                    )
                    for i in range(size)
                ]
            )
            cases = Case.objects.bulk_create(
                [
                    Case(
                        reference=f"REGB-{start + i:08d}",
                        person=person,
                        owning_organisation=force,
                        state="cautioned",
                    )
                    for i, person in enumerate(people)
                ]
            )
            records = []
            for case in cases:
                relevant = today - dt.timedelta(days=rng.randrange(1, 729))
                initial = relevant + dt.timedelta(days=2) if rng.random() < 0.02 else None
                periodic = None if initial else today + dt.timedelta(days=rng.randrange(-30, 366))
                event = (
                    today + dt.timedelta(days=rng.randrange(-10, 30))
                    if rng.random() < 0.05
                    else None
                )
                arms = today + dt.timedelta(days=rng.randrange(-30, 366))
                visit = today + dt.timedelta(days=rng.randrange(-30, 366))
                due = [d for d in (initial, periodic, event, arms, visit) if d]
                late = rng.random() < 0.03
                records.append(
                    RegisterRecord(
                        case=case,
                        owning_organisation=force,
                        offence="CJA1988_S160",
                        offence_date=relevant - dt.timedelta(days=200),
                        offender_dob=case.person.date_of_birth,
                        youngest_depicted_age=12,
                        disposal_type="simple_caution",
                        relevant_date=relevant,
                        period_text="2 years",
                        last_day=relevant + dt.timedelta(days=729),
                        initial_due=initial,
                        next_periodic_due=periodic,
                        event_due=event,
                        arms_due=arms,
                        home_visit_due=visit,
                        next_due=min(due),
                        overdue_count=1 if late and rng.random() < 0.5 else 0,
                        late_count=1 if late else 0,
                        manager=managers[rng.randrange(MANAGERS)],
                        area=AREAS[rng.randrange(len(AREAS))],
                        arms_level=LEVELS[rng.randrange(len(LEVELS))],
                    )
                )
            records = RegisterRecord.objects.bulk_create(records)
            Trip.objects.bulk_create(
                [
                    Trip(
                        record=r,
                        departure=today - dt.timedelta(days=rng.randrange(0, 5)),
                        planned_return=today + dt.timedelta(days=rng.randrange(0, 10)),
                        destinations="France",
                        known_on=today - dt.timedelta(days=30),
                    )
                    for r in records
                    if rng.random() < 0.01
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE register_registerrecord")
        cursor.execute("ANALYZE register_trip")
    return force, managers, RegisterRecord.objects.count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args(argv)
    _setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    _force, managers, total = seed(args.records)
    print(f"records: {total:,} (seeding took {time.perf_counter() - started:.1f} s)")

    from comeforward.register.models import Reminder
    from comeforward.register.services import register_sweep

    Reminder.objects.all().delete()
    started = time.perf_counter()
    first = register_sweep()
    sweep_first = time.perf_counter() - started
    started = time.perf_counter()
    register_sweep()
    sweep_again = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after the sweep's insert
        cursor.execute("ANALYZE register_reminder")

    client = signed_in_client(managers[0])
    pages = [("bare Django page /healthz", "/healthz")]
    pages += [
        (f"queue: {q}", f"/register/?queue={q}")
        for q in ("all", "overdue", "week", "late", "travelling", "ending", "reviews")
    ]
    pages += [
        ("overdue, filtered by manager", f"/register/?queue=overdue&manager={managers[3].pk}"),
        ("due this week, filtered by area", "/register/?queue=week&area=Area+4"),
        ("all, filtered by ARMS level", "/register/?queue=all&risk=high"),
    ]
    rows = []
    for label, url in pages:
        times = measure(client, url, args.requests)
        rows.append((label, statistics.median(times), statistics.quantiles(times, n=20)[18]))
    base = rows[0][2]
    print(
        f"\nregister queues at {total:,} records, {args.requests} requests each, "
        "in-process Django test Client on PostgreSQL"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'p95 / healthz':>14} {'≤150 ms':>8}")
    for label, median, p95 in rows:
        ok = "yes" if p95 <= TARGET_P95_MS else "NO"
        print(f"{label:34} {median:10.1f} {p95:8.1f} {p95 / base:13.1f}× {ok:>8}")
    print(
        f"\ndaily sweep: first run {sweep_first * 1000:.0f} ms "
        f"({first['reminders_created']:,} reminders, {first['records_ended']:,} records ended), "
        f"again {sweep_again * 1000:.0f} ms; target under 5 s: "
        f"{'met' if sweep_first < 5 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
