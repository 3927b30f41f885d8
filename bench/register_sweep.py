"""The daily register sweep over 100,000 people under notification requirements (target:
under 5 seconds on PostgreSQL).

Seeds (once, seeded random) N synthetic register records — fictional people and cases of one
force, with next due dates spread from 60 days ago to a year ahead — into the database named
by ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/comeforward_bench``; create
it with ``psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE comeforward_bench'``), runs the
migrations, deletes earlier reminders, then in one run measures:

  (a) the peer: a bare ``SELECT count(*)`` scan of the register table, the floor for touching
      every record;
  (b) the sweep, first run of the day (creates the reminders);
  (c) the sweep again (idempotent: creates none).

Prints each time (median of ``--rounds``) and the ratios (b)/(a), (c)/(a).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comeforward_bench \\
        uv run python bench/register_sweep.py [--records 100000] [--rounds 3] [--horizon 14]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from statistics import median


def _setup() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/comeforward_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comeforward.web.settings.test")
    import django

    django.setup()


def seed(n: int) -> int:
    """Create records up to ``n`` (idempotent: only the missing ones)."""
    from django.db import transaction

    from comeforward.accounts.models import Organisation
    from comeforward.cases.models import Case
    from comeforward.people.models import Person
    from comeforward.register.models import RegisterRecord

    have = RegisterRecord.objects.count()
    if have >= n:
        return have
    rng = random.Random(20260101 + have)
    today = dt.date.today()
    force, _ = Organisation.objects.get_or_create(
        code="bench-force",
        defaults={"name": "Benchshire Police (synthetic)", "kind": "police_force"},
    )
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
                        reference=f"BENCH-{start + i:08d}",
                        person=person,
                        owning_organisation=force,
                        state="cautioned",
                    )
                    for i, person in enumerate(people)
                ]
            )
            records = []
            for case in cases:
                relevant = today - dt.timedelta(days=rng.randrange(1, 700))
                initial = relevant + dt.timedelta(days=2) if rng.random() < 0.05 else None
                periodic = None if initial else today + dt.timedelta(days=rng.randrange(-60, 366))
                arms = today + dt.timedelta(days=rng.randrange(-60, 366))
                visit = today + dt.timedelta(days=rng.randrange(-60, 366))
                due = [d for d in (initial, periodic, arms, visit) if d]
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
                        last_day=relevant + dt.timedelta(days=730),
                        initial_due=initial,
                        next_periodic_due=periodic,
                        arms_due=arms,
                        home_visit_due=visit,
                        next_due=min(due),
                    )
                )
            RegisterRecord.objects.bulk_create(records)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE register_registerrecord")
    return RegisterRecord.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--horizon", type=int, default=14)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from comeforward.register.models import Reminder
    from comeforward.register.services import register_sweep

    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (set DATABASE_URL)", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    total = seed(args.records)
    print(f"records: {total} (seeding took {time.perf_counter() - t0:.1f} s)")

    peer, first, again, created = [], [], [], 0
    for _ in range(args.rounds):
        Reminder.objects.all().delete()
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM register_registerrecord")
            cursor.fetchone()
        peer.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = register_sweep(horizon_days=args.horizon)
        first.append(time.perf_counter() - start)
        created = result["reminders_created"]
        start = time.perf_counter()
        repeat = register_sweep(horizon_days=args.horizon)
        again.append(time.perf_counter() - start)
        assert repeat["reminders_created"] == 0, repeat
    p, f, a = median(peer), median(first), median(again)
    print(f"(a) peer SELECT count(*) scan:    {p * 1000:8.1f} ms")
    print(f"(b) sweep, first run of the day:  {f * 1000:8.1f} ms  ({created} reminders)")
    print(f"(c) sweep again (idempotent):     {a * 1000:8.1f} ms")
    print(f"ratio (b)/(a): {f / p:.1f}×   ratio (c)/(a): {a / p:.1f}×")
    print(f"target under 5 s: {'met' if f < 5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
