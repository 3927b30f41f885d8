"""Time in a stage, in England & Wales working days, with the median and the 90th percentile
(issue 14.2), measured against the SLA table (``cases.domain.sla``).

Working days use the same calendar as the SLA clocks (``cases.domain.working_days``: weekends
and bank holidays from the ``holidays`` package), so "within the SLA" means the same here as on
a task's due date. A stage entered and left on the same day took 0 working days; a stage that
took the SLA's number of working days or fewer is within it.

Percentiles use the nearest-rank method (the smallest value with at least p% of values at or
below it): it always reports a duration that some case actually took, which is easier to
explain than an interpolated one. Fewer than ``MIN_CASES`` durations give no percentile
(disclosure control: a median of three cases is nearly a record-level figure).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from comeforward.cases.domain.working_days import BANK_HOLIDAYS_ENGLAND_WALES

from .suppression import THRESHOLD

MIN_CASES = THRESHOLD

_SORTED_HOLIDAYS = tuple(sorted(BANK_HOLIDAYS_ENGLAND_WALES))


def working_days_between(
    start: dt.date, end: dt.date, holidays: tuple[dt.date, ...] = _SORTED_HOLIDAYS
) -> int:
    """Working days after ``start`` up to and including ``end`` (``start`` never counts, as in
    ``add_working_days``): so ``add_working_days(s, n) == e`` gives ``n`` back."""
    if end <= start:
        return 0
    # Whole weeks in one step, then the remainder day by day (fast for long stages).
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    day = start + dt.timedelta(days=weeks * 7)
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    # Bank holidays on weekdays inside (start, end] are not working days.
    # ``holidays`` is sorted and holds weekdays only (``working_days.bank_holidays``).
    count -= bisect.bisect_right(holidays, end) - bisect.bisect_right(holidays, start)
    return count


def nearest_rank(values: Sequence[float], percent: float) -> float | None:
    """The nearest-rank percentile (``percent`` in (0, 100]); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class StageTiming:
    stage: str
    cases: int
    median: float | None
    p90: float | None
    sla_working_days: int | None
    within_sla: int | None  # cases within the SLA (None when the stage has no SLA)

    @property
    def published(self) -> bool:
        return self.cases >= MIN_CASES


def stage_timing(stage: str, durations: Sequence[int], sla: int | None) -> StageTiming:
    """Median and 90th percentile of ``durations`` (working days), and how many met ``sla``.
    Under ``MIN_CASES`` durations nothing but the (suppressed) count is published."""
    enough = len(durations) >= MIN_CASES
    return StageTiming(
        stage=stage,
        cases=len(durations),
        median=nearest_rank(durations, 50) if enough else None,
        p90=nearest_rank(durations, 90) if enough else None,
        sla_working_days=sla,
        within_sla=(sum(1 for d in durations if d <= sla) if sla is not None else None),
    )


def age_band_days(days: int) -> str:
    """Backlog age bands (working days waiting in the current stage)."""
    for limit, label in ((5, "0–5 days"), (20, "6–20 days"), (60, "21–60 days")):
        if days <= limit:
            return label
    return "over 60 days"


BACKLOG_AGE_BANDS = ("0–5 days", "6–20 days", "21–60 days", "over 60 days")
