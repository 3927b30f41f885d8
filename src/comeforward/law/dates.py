"""Calendar arithmetic for the statute engines.

Research: domain-rules.md §1.3 ("Date arithmetic for 'N years beginning with the relevant
date'"), §1.5 (counting days with disregards), §1.9 (day-counting summary). A period
"beginning with" a day includes that day (SOA 2003 ss.82-84 wording). Where a corresponding
date does not exist (29 February in a common year, 31st in a shorter month) the caller chooses
the convention (:data:`NEXT_DAY` or :data:`LAST_DAY_OF_MONTH`); both are [D] choices that need
legal sign-off and the engines report them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

NEXT_DAY = "next_day"
LAST_DAY_OF_MONTH = "last_day_of_month"
CONVENTIONS = (NEXT_DAY, LAST_DAY_OF_MONTH)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Shifted:
    """A computed date and whether a missing-day convention was needed to reach it."""

    value: date
    convention_used: bool


def corresponding_date(
    start: date, *, years: int = 0, months: int = 0, missing: str = NEXT_DAY
) -> Shifted:
    """The date ``years`` and ``months`` after ``start`` with the same day of the month.

    If that day does not exist in the target month, ``missing`` decides: :data:`NEXT_DAY`
    gives the 1st of the following month (29 Feb 2024 + 1 year → 1 Mar 2025),
    :data:`LAST_DAY_OF_MONTH` gives the month's last day (→ 28 Feb 2025).
    """
    if missing not in CONVENTIONS:
        raise ValueError(f"unknown convention {missing!r}")
    total = start.month - 1 + months + 12 * years
    year, month0 = divmod(total, 12)
    year += start.year
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return Shifted(date(year, month, start.day), False)
    if missing == NEXT_DAY:
        return Shifted(date(year, month, last) + ONE_DAY, True)
    return Shifted(date(year, month, last), True)


def period_last_day(
    start: date, *, years: int = 0, months: int = 0, missing: str = NEXT_DAY
) -> Shifted:
    """Last day of a period of ``years``/``months`` *beginning with* ``start`` (inclusive).

    domain-rules.md §1.3: the anniversary (corresponding date) minus one day; e.g. 2 years
    beginning with 2025-03-12 end on 2027-03-11.
    """
    end = corresponding_date(start, years=years, months=months, missing=missing)
    return Shifted(end.value - ONE_DAY, end.convention_used)


@dataclass(frozen=True)
class Age:
    """Age in whole years and whether the leap-day birthday convention decided it."""

    years: int
    convention_used: bool


def age_on(dob: date, on: date, *, leap_birthday: str = NEXT_DAY) -> Age:
    """Age in whole years on ``on`` (a person attains an age at the start of their birthday).

    ``convention_used`` is True only when the answer depends on the leap-day convention
    (born 29 February, ``on`` is 28 February of a common year).
    """
    if on < dob:
        raise ValueError("date before date of birth")
    years = on.year - dob.year
    birthday = corresponding_date(dob, years=years, missing=leap_birthday)
    if on < birthday.value:
        years -= 1
    depends = (
        (dob.month, dob.day) == (2, 29)
        and (on.month, on.day) == (2, 28)
        and not calendar.isleap(on.year)
    )
    return Age(years, depends)


@dataclass(frozen=True)
class DayRange:
    """Whole days ``first``..``last`` inclusive (e.g. a period in custody or abroad)."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def days(self) -> int:
        return (self.last - self.first).days + 1


def is_disregarded(day: date, periods: Iterable[DayRange]) -> bool:
    return any(day in p for p in periods)


def nth_counted_day(start: date, n: int, disregarded: Iterable[DayRange] = ()) -> date:
    """Last day of "the period of ``n`` days beginning with ``start``", disregarded days skipped.

    SOA 2003 s.83(1), (6) and s.84(1), (5); domain-rules.md §1.5 ``change_deadline``: day
    ``start`` is day 1 unless it is disregarded; a disregarded day is not counted.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    periods = tuple(disregarded)
    day = start
    counted = 0
    while True:
        if not is_disregarded(day, periods):
            counted += 1
            if counted == n:
                return day
        day += ONE_DAY


def first_day_not_disregarded(day: date, disregarded: Iterable[DayRange]) -> date:
    """``day`` itself, or the first later day that is not in a disregarded period."""
    periods = tuple(disregarded)
    while is_disregarded(day, periods):
        day += ONE_DAY
    return day
