"""Ages: a child is a person under 18 (Children Act 1989 s.105(1); PCA 1978 s.7(6)).

The age itself has one owner (issue 19.5): ``comeforward.law.dates.age_on`` — completed
years, attained at the start of the birthday; someone born on 29 February turns a year older
on 1 March in common years (the statute engine's leap-day convention, domain-rules §1.3).
"""

from __future__ import annotations

import datetime as dt

from comeforward.law.dates import age_on as _law_age_on


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years on ``on`` (``comeforward.law.dates.age_on``); ``ValueError`` before
    the date of birth."""
    return _law_age_on(date_of_birth, on).years


def is_under_18(date_of_birth: dt.date, on: dt.date) -> bool:
    """Under 18 on ``on``; a date of birth after ``on`` (a child expected) counts as a child."""
    return on < date_of_birth or age_on(date_of_birth, on) < 18


def eighteenth_birthday_cutoff(on: dt.date) -> dt.date:
    """People born *after* this date are under 18 on ``on``."""
    try:
        return on.replace(year=on.year - 18)
    except ValueError:  # 29 February → 28 February 18 years earlier
        return on.replace(year=on.year - 18, day=28)
