"""Working days in England and Wales: weekends and bank holidays skipped.

Bank holidays 2025–2028 are held here as data, from the UK Government's published list
(https://www.gov.uk/bank-holidays, feed https://www.gov.uk/bank-holidays.json, division
"england-and-wales"); 2027–2028 follow the Banking and Financial Dealings Act 1971 Schedule 1
pattern with substitute days, as announced. MAINTAIN THIS TABLE: add each new year when the
Government publishes it, and any one-off holiday proclaimed by Royal Proclamation (as in 2022
and 2023). ``add_working_days`` refuses dates beyond the table rather than guessing.
"""

from __future__ import annotations

import datetime as dt

from comeforward.errors import DomainError

D = dt.date

#: England & Wales bank holidays. Maintained by hand (see the module docstring).
BANK_HOLIDAYS_ENGLAND_WALES: frozenset[dt.date] = frozenset(
    {
        # 2025
        D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
        D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26),
        # 2026 (Boxing Day is a Saturday: substitute Monday 28 December)
        D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
        D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28),
        # 2027 (Christmas Saturday, Boxing Day Sunday: substitutes 27 and 28 December)
        D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
        D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28),
        # 2028 (New Year's Day is a Saturday: substitute Monday 3 January)
        D(2028, 1, 3), D(2028, 4, 14), D(2028, 4, 17), D(2028, 5, 1), D(2028, 5, 29),
        D(2028, 8, 28), D(2028, 12, 25), D(2028, 12, 26),
    }
)  # fmt: skip

#: The table covers these years; beyond them working days cannot be counted reliably.
COVERED_YEARS = range(2025, 2029)


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
    ``BankHolidaysNotKnown`` when the count runs outside the years the table covers.
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
            f"Bank holidays for {day.year} are not in the table yet",
            details={"year": day.year, "covered": [covered_years[0], covered_years[-1]]},
        )
