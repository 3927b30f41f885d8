from __future__ import annotations

import datetime as dt

import pytest

from comeforward.people.domain.ages import age_on, eighteenth_birthday_cutoff, is_under_18
from comeforward.people.domain.identifiers import InvalidIdentifier, normalise_identifier


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("pnc", "2001/0012345x", "2001/0012345X"),
        ("pnc", "01/123A", "01/123A"),
        ("ni", "ab 12 34 56 c", "AB123456C"),
        ("passport", "123 456 789", "123456789"),
    ],
)
def test_valid_identifiers_are_normalised(kind, value, expected):
    assert normalise_identifier(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("pnc", "2001-0012345X"),
        ("pnc", "2001/12345678X"),
        ("ni", "GB123456A"),  # not allocated
        ("ni", "DA123456A"),  # D is never a prefix letter
        ("ni", "AO123456A"),  # O is never the second letter
        ("ni", "AB123456E"),  # suffix A–D only
        ("passport", "12345"),
        ("driving", "X"),
    ],
)
def test_invalid_identifiers_are_refused(kind, value):
    with pytest.raises(InvalidIdentifier) as refusal:
        normalise_identifier(kind, value)
    assert refusal.value.code == "INVALID_IDENTIFIER"


def test_ages_and_the_29_february_birthday():
    leapling = dt.date(2008, 2, 29)
    assert age_on(leapling, dt.date(2026, 2, 28)) == 17
    assert age_on(leapling, dt.date(2026, 3, 1)) == 18
    assert is_under_18(leapling, dt.date(2026, 2, 28)) is True
    assert is_under_18(leapling, dt.date(2026, 3, 1)) is False
    assert eighteenth_birthday_cutoff(dt.date(2028, 2, 29)) == dt.date(2010, 2, 28)
    assert eighteenth_birthday_cutoff(dt.date(2026, 5, 1)) == dt.date(2008, 5, 1)
