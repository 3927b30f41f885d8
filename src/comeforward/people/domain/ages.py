"""Ages: a child is a person under 18 (Children Act 1989 s.105(1); PCA 1978 s.7(6))."""

from __future__ import annotations

import datetime as dt


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years on ``on`` (someone born on 29 February turns a year older on
    1 March in non-leap years)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_under_18(date_of_birth: dt.date, on: dt.date) -> bool:
    return age_on(date_of_birth, on) < 18


def eighteenth_birthday_cutoff(on: dt.date) -> dt.date:
    """People born *after* this date are under 18 on ``on``."""
    try:
        return on.replace(year=on.year - 18)
    except ValueError:  # 29 February → 28 February 18 years earlier
        return on.replace(year=on.year - 18, day=28)
