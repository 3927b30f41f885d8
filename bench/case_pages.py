"""Benchmark: server time of the case-work pages at national scale, against a bare Django page.

Seeds PostgreSQL with synthetic data (``comeforward seed``; ARCHITECTURE.md §6: 1 million
people, 200,000 cases) unless it already holds that much, then drives the pages in-process
with Django's test ``Client`` (full middleware, sessions, MFA check, templates, audit) and
prints median and p95 per page next to ``/healthz`` measured in the same run, with the ratio.
Target: p95 ≤ 150 ms for search, the case list, the home queue and the case page.

    uv run python bench/case_pages.py                               # 1 M people, 200 k cases
    uv run python bench/case_pages.py --people 100000 --cases 20000 --requests 100   # quick
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from pagebench import measure, setup_django, signed_in_client  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/comeforward_bench_cases"
TARGET_P95_MS = 150.0


def _setup(args) -> None:
    setup_django(args.database_url)


def _seed_if_needed(people: int, cases: int) -> dict:
    from django.core.management import call_command

    from comeforward.cases.selectors import Case  # noqa: F401 - the model, for counting
    from comeforward.demo.seed import seed
    from comeforward.people.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    have_people = Person.objects.count()
    from comeforward.cases.models import Case as CaseModel

    have_cases = CaseModel.objects.count()
    more_cases = max(0, cases - have_cases)
    more_people = max(more_cases, people - have_people)
    if more_people or more_cases:
        started = time.perf_counter()
        result = seed(people=more_people, cases=more_cases)
        print(
            f"seeded {result.people:,} people and {result.cases:,} cases "
            f"({result.tasks:,} tasks) in {time.perf_counter() - started:.1f} s"
        )
    return {"people": Person.objects.count(), "cases": CaseModel.objects.count()}


def _client_for(email: str):
    from comeforward.accounts.selectors import user_by_email

    user = user_by_email(email)
    return user, signed_in_client(user)


def _remember_reasons(client, case_ids) -> None:
    from comeforward.audit.access import SESSION_KEY, subject_key

    session = client.session
    session[SESSION_KEY] = {subject_key("case", pk): "Benchmark" for pk in case_ids}
    session.save()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args(argv)
    _setup(args)
    counts = _seed_if_needed(args.people, args.cases)

    import random

    from comeforward.cases import selectors
    from comeforward.demo.seed import seed_email
    from comeforward.roles import Role

    rng = random.Random(7)
    supervisor, sup_client = _client_for(seed_email(Role.SUPERVISOR))
    investigator, inv_client = _client_for(seed_email(Role.INVESTIGATOR))
    sample = list(
        selectors.cases_visible_to(supervisor)
        .order_by("-pk")
        .values_list("pk", "reference", "person__family_name", "person__date_of_birth")[:5000]
    )
    picks = rng.sample(sample, min(len(sample), 200))
    _remember_reasons(sup_client, [pk for pk, *_ in picks])
    n = args.requests
    pages = [
        ("bare Django page /healthz", sup_client, ["/healthz"]),
        ("search: name (supervisor)", sup_client, [f"/cases/search?q={f}" for _, _, f, _ in picks]),
        ("search: reference", sup_client, [f"/cases/search?q={r}" for _, r, _, _ in picks]),
        (
            "search: date of birth",
            sup_client,
            [f"/cases/search?q={d:%d/%m/%Y}" for *_, d in picks],
        ),
        (
            "search: name (investigator)",
            inv_client,
            [f"/cases/search?q={f}" for _, _, f, _ in picks],
        ),
        ("case list (supervisor)", sup_client, ["/cases/"]),
        ("home queue + tasks (supervisor)", sup_client, ["/"]),
        ("home queue + tasks (investigator)", inv_client, ["/"]),
        ("case page (supervisor)", sup_client, [f"/cases/{pk}/" for pk, *_ in picks]),
    ]
    rows = []
    for label, client, urls in pages:
        times = measure(client, urls, n)
        rows.append((label, statistics.median(times), statistics.quantiles(times, n=20)[18]))
    base_p95 = rows[0][2]
    print(
        f"\ncase pages at {counts['people']:,} people / {counts['cases']:,} cases, "
        f"{n} requests each, in-process Django test Client on PostgreSQL"
    )
    print(f"{'page':38} {'median ms':>10} {'p95 ms':>8} {'p95 / healthz':>14} {'≤150 ms':>8}")
    for label, median, p95 in rows:
        ok = "yes" if p95 <= TARGET_P95_MS else "NO"
        print(f"{label:38} {median:10.1f} {p95:8.1f} {p95 / base_p95:13.1f}× {ok:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
