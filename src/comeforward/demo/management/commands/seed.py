"""``comeforward seed --people 1000000 --cases 200000``: synthetic national-scale data.

Errors follow docs/interfaces.md: exit 2 with ``{"error": {...}}`` on stdout.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from comeforward.demo.seed import seed
from comeforward.errors import DomainError


class Command(BaseCommand):
    help = "Append synthetic people and cases (demo mode only) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000, help="people to make")
        parser.add_argument("--cases", type=int, default=2_000, help="cases to make")
        parser.add_argument("--batch", type=int, default=10_000, help="rows per insert")
        parser.add_argument("--random-seed", type=int, default=2026, help="for repeatable data")
        parser.add_argument(
            "--years", type=int, default=2, help="referrals spread over this many years"
        )
        parser.add_argument(
            "--no-outcomes",
            action="store_true",
            help="cases only: no status history, recommendations or follow-up events",
        )

    def handle(
        self, *args, people: int, cases: int, batch: int, random_seed: int, years: int = 2,
        no_outcomes: bool = False, **options,
    ):  # fmt: skip
        try:
            if people < 0 or cases < 0 or batch < 1 or not 1 <= years <= 20:
                raise DomainError(
                    "Counts must not be negative, the batch must be positive and years 1 to 20",
                    details={"people": people, "cases": cases, "batch": batch, "years": years},
                )
            result = seed(
                people=people,
                cases=cases,
                batch=batch,
                random_seed=random_seed,
                years=years,
                outcomes=not no_outcomes,
            )
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps(result.as_dict(), sort_keys=True))
