"""One owner per rule (issue 19.5): the period in words comes from ``law.period_text`` (the
caution and the register record say the same), and the age from ``law.dates.age_on`` (the
person record's helper and the policy's age at caution agree with it, leap days included)."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.law import NotificationPeriod, period_text
from comeforward.law.dates import age_on
from comeforward.people.domain.ages import age_on as person_age_on
from comeforward.people.domain.ages import is_under_18


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (None, ""),
        (NotificationPeriod(True, None, "s.82 indefinite"), "Indefinite"),
        (NotificationPeriod(False, 24, "caution"), "2 years"),
        (NotificationPeriod(False, 12, "x"), "1 year"),
        (NotificationPeriod(False, 18, "halved"), "1 year 6 months"),
        (NotificationPeriod(False, 1, "x"), "1 month"),
        (NotificationPeriod(False, 42, "halved"), "3 years 6 months"),
        (NotificationPeriod(False, 0, "x"), "0 months"),
    ],
)
def test_period_text(period, text):
    assert period_text(period) == text


@pytest.mark.parametrize(
    ("dob", "on", "years"),
    [
        (dt.date(2000, 2, 29), dt.date(2018, 2, 28), 17),  # leap birthday: 1 March in 2018
        (dt.date(2000, 2, 29), dt.date(2018, 3, 1), 18),
        (dt.date(2000, 2, 29), dt.date(2020, 2, 29), 20),
        (dt.date(1980, 5, 1), dt.date(2025, 4, 30), 44),
        (dt.date(1980, 5, 1), dt.date(2025, 5, 1), 45),
    ],
)
def test_one_age_function(dob, on, years):
    assert age_on(dob, on).years == years
    assert person_age_on(dob, on) == years
    assert is_under_18(dob, on) == (years < 18)


def test_a_child_not_yet_born_is_a_child():
    assert is_under_18(dt.date(2030, 1, 1), dt.date(2029, 6, 1)) is True
