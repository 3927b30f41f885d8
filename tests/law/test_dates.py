"""Calendar arithmetic: corresponding dates, 'beginning with' periods, ages, disregards."""

from __future__ import annotations

from datetime import date

import pytest

from comeforward.law.dates import (
    LAST_DAY_OF_MONTH,
    NEXT_DAY,
    DayRange,
    age_on,
    corresponding_date,
    first_day_not_disregarded,
    nth_counted_day,
    period_last_day,
)


@pytest.mark.parametrize(
    ("start", "years", "months", "missing", "expected", "used"),
    [
        (date(2025, 3, 12), 2, 0, NEXT_DAY, date(2027, 3, 12), False),
        (date(2024, 2, 29), 1, 0, NEXT_DAY, date(2025, 3, 1), True),
        (date(2024, 2, 29), 1, 0, LAST_DAY_OF_MONTH, date(2025, 2, 28), True),
        (date(2024, 2, 29), 4, 0, NEXT_DAY, date(2028, 2, 29), False),
        (date(2025, 8, 31), 0, 6, NEXT_DAY, date(2026, 3, 1), True),
        (date(2025, 8, 31), 0, 6, LAST_DAY_OF_MONTH, date(2026, 2, 28), True),
        (date(2025, 1, 31), 0, 3, NEXT_DAY, date(2025, 5, 1), True),
        (date(2025, 12, 15), 0, 1, NEXT_DAY, date(2026, 1, 15), False),
        (date(2025, 3, 15), 0, -12, NEXT_DAY, date(2024, 3, 15), False),
        (date(2025, 1, 15), 0, -1, NEXT_DAY, date(2024, 12, 15), False),
    ],
)
def test_corresponding_date(start, years, months, missing, expected, used):
    result = corresponding_date(start, years=years, months=months, missing=missing)
    assert result.value == expected
    assert result.convention_used is used


def test_corresponding_date_rejects_unknown_convention():
    with pytest.raises(ValueError):
        corresponding_date(date(2025, 1, 1), years=1, missing="nearest")


@pytest.mark.parametrize(
    ("start", "years", "months", "expected"),
    [
        # domain-rules.md §1.3 worked examples
        (date(2025, 3, 12), 2, 0, date(2027, 3, 11)),
        (date(2025, 6, 2), 2, 6, date(2027, 12, 1)),
        (date(2025, 6, 2), 3, 6, date(2028, 12, 1)),
        (date(2025, 1, 15), 10, 0, date(2035, 1, 14)),
        (date(2025, 4, 1), 2, 0, date(2027, 3, 31)),
        (date(2024, 2, 29), 2, 0, date(2026, 2, 28)),
        # period beginning on 1 January ends on 31 December
        (date(2025, 1, 1), 1, 0, date(2025, 12, 31)),
    ],
)
def test_period_last_day_worked_examples(start, years, months, expected):
    assert period_last_day(start, years=years, months=months).value == expected


def test_leap_day_period_conventions_differ_by_one_day():
    nxt = period_last_day(date(2024, 2, 29), years=2, missing=NEXT_DAY)
    last = period_last_day(date(2024, 2, 29), years=2, missing=LAST_DAY_OF_MONTH)
    assert (nxt.value, last.value) == (date(2026, 2, 28), date(2026, 2, 27))
    assert nxt.convention_used and last.convention_used


@pytest.mark.parametrize(
    ("dob", "on", "expected", "used"),
    [
        (date(2007, 1, 10), date(2025, 1, 10), 18, False),  # 18th birthday on the day
        (date(2007, 1, 11), date(2025, 1, 10), 17, False),  # the day before
        (date(2007, 2, 28), date(2025, 2, 28), 18, False),
        (date(2008, 2, 29), date(2026, 2, 28), 17, True),  # leap-day birthday, common year
        (date(2008, 2, 29), date(2026, 3, 1), 18, False),
        (date(2008, 2, 29), date(2028, 2, 29), 20, False),
        (date(2008, 2, 29), date(2028, 2, 28), 19, False),  # leap year: birthday exists
        (date(2000, 6, 1), date(2000, 6, 1), 0, False),
    ],
)
def test_age_on(dob, on, expected, used):
    age = age_on(dob, on)
    assert (age.years, age.convention_used) == (expected, used)


def test_age_on_leap_birthday_alternative_convention():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28), leap_birthday=LAST_DAY_OF_MONTH).years == 18


def test_age_on_rejects_date_before_birth():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


def test_nth_counted_day_without_disregards_counts_the_first_day():
    assert nth_counted_day(date(2025, 3, 12), 3) == date(2025, 3, 14)
    assert nth_counted_day(date(2025, 3, 12), 1) == date(2025, 3, 12)


def test_nth_counted_day_skips_disregarded_days():
    custody = (DayRange(date(2025, 3, 13), date(2025, 3, 20)),)
    # day 1 = 12th, 13th-20th disregarded, day 2 = 21st, day 3 = 22nd
    assert nth_counted_day(date(2025, 3, 12), 3, custody) == date(2025, 3, 22)


def test_nth_counted_day_start_disregarded():
    abroad = (DayRange(date(2025, 3, 10), date(2025, 3, 12)),)
    assert nth_counted_day(date(2025, 3, 12), 3, abroad) == date(2025, 3, 15)


def test_nth_counted_day_disregard_after_deadline_changes_nothing():
    later = (DayRange(date(2025, 3, 15), date(2025, 3, 30)),)
    assert nth_counted_day(date(2025, 3, 12), 3, later) == date(2025, 3, 14)


def test_nth_counted_day_rejects_zero():
    with pytest.raises(ValueError):
        nth_counted_day(date(2025, 1, 1), 0)


def test_first_day_not_disregarded_across_adjacent_periods():
    periods = (
        DayRange(date(2025, 1, 1), date(2025, 1, 3)),
        DayRange(date(2025, 1, 4), date(2025, 1, 5)),
    )
    assert first_day_not_disregarded(date(2025, 1, 2), periods) == date(2025, 1, 6)
    assert first_day_not_disregarded(date(2025, 1, 9), periods) == date(2025, 1, 9)


def test_day_range_days_and_membership():
    r = DayRange(date(2025, 10, 1), date(2025, 10, 31))
    assert r.days() == 31
    assert date(2025, 10, 31) in r
    assert date(2025, 11, 1) not in r
    assert "2025-10-01" not in r
