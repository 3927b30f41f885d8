"""Name normalisation, Soundex, trigram similarity and duplicate matching (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.people.domain.matching import (
    MatchStrength,
    NameRecord,
    match,
    normalise_name,
    rank_matches,
    soundex,
    trigram_similarity,
    trigrams,
)

DOB = dt.date(1984, 3, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Zoë  O'Brien-Smith ", "zoe obrien smith"),
        ("JOSÉ", "jose"),
        ("d’Arcy", "darcy"),
        ("", ""),
        ("---", ""),
    ],
)
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Rubin", "R150"),
        ("Ashcraft", "A261"),  # H does not separate S and C
        ("Tymczak", "T522"),
        ("Pfister", "P236"),  # the first letter's code absorbs F
        ("Honeyman", "H555"),
        ("Lee", "L000"),
        ("", ""),
    ],
)
def test_soundex_matches_the_national_archives_examples(name, code):
    assert soundex(name) == code


def test_trigrams_follow_pg_trgm_padding():
    assert trigrams("cat") == frozenset({"  c", " ca", "cat", "at "})
    assert trigram_similarity("cat", "cat") == 1.0
    assert trigram_similarity("cat", "") == 0.0
    assert trigram_similarity("smith", "smyth") == pytest.approx(3 / 9)


def test_exact_match_ignores_case_accents_and_punctuation():
    found = match(NameRecord("Alex", "Example", DOB), NameRecord("ALEX", "example", DOB))
    assert found is not None
    assert found.strength == MatchStrength.EXACT
    assert found.score == 1.0
    assert found.reasons == ("family name: same", "given name: same", "date of birth: same")


def test_initial_and_sound_alike_with_same_birthday_is_likely():
    found = match(NameRecord("Alex", "Example", DOB), NameRecord("A", "Exampel", DOB))
    assert found.strength == MatchStrength.LIKELY
    assert found.reasons[:2] == ("family name: sound", "given name: initial")
    assert found.score == pytest.approx(0.8 * 0.5 + 0.7 * 0.3 + 0.2)


def test_transposed_day_and_month_is_possible():
    found = match(
        NameRecord("Sam", "Jones", dt.date(1990, 4, 7)),
        NameRecord("Sam", "Jones", dt.date(1990, 7, 4)),
    )
    assert found.strength == MatchStrength.POSSIBLE
    assert "date of birth: day and month transposed" in found.reasons


def test_different_birthdays_are_not_a_match():
    assert (
        match(
            NameRecord("Sam", "Jones", dt.date(1990, 4, 7)),
            NameRecord("Sam", "Jones", dt.date(1991, 4, 7)),
        )
        is None
    )


def test_missing_birthday_needs_identical_names():
    assert match(NameRecord("Sam", "Jones"), NameRecord("Sam", "Jones", DOB)).strength == (
        MatchStrength.POSSIBLE
    )
    assert match(NameRecord("Sam", "Jones"), NameRecord("S", "Jones", DOB)) is None


def test_different_names_on_the_same_birthday_are_not_a_match():
    assert match(NameRecord("Alex", "Example", DOB), NameRecord("Alex", "Walker", DOB)) is None
    assert match(NameRecord("Alex", "Example", DOB), NameRecord("Morgan", "Example", DOB)) is None


def test_double_barrelled_family_name_with_or_without_hyphen():
    found = match(NameRecord("Jo", "Smith-Jones", DOB), NameRecord("Jo", "Smith Jones", DOB))
    assert found.strength == MatchStrength.EXACT


def test_rank_keeps_best_per_key_and_orders_by_strength():
    target = NameRecord("Alex", "Example", DOB)
    ranked = rank_matches(
        target,
        [
            (2, NameRecord("A", "Exampel", DOB)),  # likely
            (1, NameRecord("Alex", "Example", None)),  # possible
            (1, NameRecord("Alex", "Example", DOB)),  # exact (alias of key 1)
            (3, NameRecord("Zed", "Other", DOB)),  # no match
        ],
    )
    assert [(key, m.strength) for key, m in ranked] == [
        (1, MatchStrength.EXACT),
        (2, MatchStrength.LIKELY),
    ]


def test_search_name_has_a_space_either_side():
    from comeforward.people.domain.matching import search_name_for

    assert search_name_for("Zoë Ann", "O'Brien-Smith") == " zoe ann obrien smith "
    assert search_name_for("", "") == ""
