"""Working days in England and Wales: weekends and bank holidays skipped.

Bank holidays come from the maintained ``holidays`` package (python-holidays: the United
Kingdom, subdivision England — Wales has the same bank holidays), which follows the Banking and
Financial Dealings Act 1971 Schedule 1 with substitute days and carries one-off holidays made
by Royal Proclamation (2022, 2023) as they are announced — keep the package up to date (a
`uv lock --upgrade-package holidays` when the Government announces one). Only weekdays count:
a holiday that falls on a weekend is replaced by its substitute day. Dates outside
``COVERED_YEARS`` are refused rather than guessed (issue 20.12; previously a hand-kept table
that ended in 2028).
"""

from __future__ import annotations

import datetime as dt

import holidays as _holidays

from comeforward.errors import DomainError

#: The years counted; beyond them ``add_working_days`` refuses (fail closed).
COVERED_YEARS = range(2000, 2100)


def bank_holidays(years: range = COVERED_YEARS, subdivision: str = "ENG") -> frozenset[dt.date]:
    """England (``ENG``) or Wales (``WLS``) bank holidays in ``years``, weekdays only."""
    calendar = _holidays.country_holidays("GB", subdiv=subdivision, years=years)
    return frozenset(day for day in calendar if day.weekday() < 5)


#: England & Wales bank holidays (weekdays) for ``COVERED_YEARS``, from ``holidays``.
BANK_HOLIDAYS_ENGLAND_WALES: frozenset[dt.date] = bank_holidays()


class BankHolidaysNotKnown(DomainError):
    code = "BANK_HOLIDAYS_NOT_KNOWN"


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = BANK_HOLIDAYS_ENGLAND_WALES):
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: dt.date,
    days: int,
    holidays: frozenset[dt.date] = BANK_HOLIDAYS_ENGLAND_WALES,
    *,
    covered_years: range = COVERED_YEARS,
) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts).

    ``days == 0`` gives ``start`` if it is a working day, else the next working day. Raises
    ``BankHolidaysNotKnown`` when the count runs outside ``COVERED_YEARS``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day, holidays):
            day += dt.timedelta(days=1)
            _check_covered(day, covered_years)
        return day
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        _check_covered(day, covered_years)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def _check_covered(day: dt.date, covered_years: range) -> None:
    if day.year not in covered_years:
        raise BankHolidaysNotKnown(
            f"Bank holidays for {day.year} are not known",
            details={"year": day.year, "covered": [covered_years[0], covered_years[-1]]},
        )
