"""Static-99R (domain-rules.md §3.4) and its applicability rule."""

from __future__ import annotations

import pytest

from comeforward.risk import score
from comeforward.risk.errors import NotApplicable, NotScorable

from .helpers import points, static99r_items


@pytest.mark.parametrize(
    ("age", "pts"),
    [(18, 1), (34.9, 1), (35, 0), (39.9, 0), (40, -1), (59.9, -1), (60, -3), (90, -3)],
)
def test_age_points(age: float, pts: int) -> None:
    assert points(score("static99r", static99r_items(age_at_release=age)))["age_at_release"] == pts


@pytest.mark.parametrize(
    ("charges", "convictions", "pts"),
    [
        (0, 0, 0),
        (1, 0, 1),
        (2, 0, 1),
        (3, 0, 2),
        (5, 0, 2),
        (6, 0, 3),
        (1, 1, 1),
        (2, 2, 2),
        (3, 3, 2),
        (4, 4, 3),
        (0, 4, 3),
        (7, 1, 3),
    ],
)
def test_prior_sex_offences_takes_higher(charges: int, convictions: int, pts: int) -> None:
    r = score(
        "static99r",
        static99r_items(
            prior_sex_offence_charges=charges, prior_sex_offence_convictions=convictions
        ),
    )
    p = points(r)
    assert p["prior_sex_offence_charges"] + p["prior_sex_offence_convictions"] == pts
    assert r.score == pts


@pytest.mark.parametrize(
    ("score_", "level"),
    [
        (-3, "I"),
        (-2, "I"),
        (-1, "II"),
        (0, "II"),
        (1, "III"),
        (3, "III"),
        (4, "IVA"),
        (5, "IVA"),
        (6, "IVB"),
        (12, "IVB"),
    ],
)
def test_level_boundaries(score_: int, level: str) -> None:
    # Build the score: age 60+ gives −3; age 40 gives −1; age 37 gives 0; then add yes items.
    base = {-3: 60, -2: 60, -1: 40, 0: 37}.get(score_, 37 if score_ < 1 else 30)
    age_pts = {60: -3, 40: -1, 37: 0, 30: 1}[base]
    need = score_ - age_pts
    yes_keys = [
        "index_nonsexual_violence",
        "prior_nonsexual_violence",
        "noncontact_sex_offence",
        "unrelated_victim",
        "stranger_victim",
        "male_victim",
    ]
    items = static99r_items(age_at_release=base)
    if need > 0:
        items["lived_with_partner_2_years"] = False
        need -= 1
    extra = min(need, 3)
    items["prior_sex_offence_convictions"] = {0: 0, 1: 1, 2: 2, 3: 4}[extra]
    need -= extra
    if need > 0:
        items["prior_sentencing_dates"] = 4
        need -= 1
    for k in yes_keys[:need]:
        items[k] = True
    r = score("static99r", items)
    assert (r.score, r.band) == (score_, level)
    assert (r.min_score, r.max_score, r.probability) == (-3, 12, None)


def test_maximum_and_minimum_scores() -> None:
    top = static99r_items(
        age_at_release=20,
        lived_with_partner_2_years=False,
        index_nonsexual_violence=True,
        prior_nonsexual_violence=True,
        prior_sex_offence_charges=6,
        prior_sex_offence_convictions=4,
        prior_sentencing_dates=4,
        noncontact_sex_offence=True,
        unrelated_victim=True,
        stranger_victim=True,
        male_victim=True,
    )
    assert score("static99r", top).score == 12
    assert score("static99r", static99r_items(age_at_release=61)).score == -3


def test_sentencing_dates_threshold() -> None:
    assert score("static99r", static99r_items(prior_sentencing_dates=3)).score == 0
    assert score("static99r", static99r_items(prior_sentencing_dates=4)).score == 1


def test_no_category_a_offence_is_not_applicable_and_recommends_alternatives() -> None:
    with pytest.raises(NotApplicable) as exc:
        score("static99r", static99r_items(has_category_a_offence=False))
    assert exc.value.code == "NOT_APPLICABLE"
    assert exc.value.details["recommended_alternatives"] == ["cport", "rm2000s"]
    assert exc.value.details["reason"] == "NO_CATEGORY_A_OFFENCE"


def test_unknown_category_a_is_not_scorable() -> None:
    with pytest.raises(NotScorable) as exc:
        score("static99r", static99r_items(has_category_a_offence=None))
    assert exc.value.details["missing"] == ["has_category_a_offence"]


def test_under_18_not_applicable() -> None:
    with pytest.raises(NotApplicable):
        score("static99r", static99r_items(age_at_release=17.5))


def test_one_missing_item_reports_range_not_a_guess() -> None:
    r = score("static99r", static99r_items(male_victim=None))
    assert (r.score, r.band) == (None, None)  # 0 (II) or 1 (III)
    assert r.possible_scores == (0, 1)
    assert r.possible_bands == ("II", "III")


def test_one_missing_item_band_kept_when_all_possibilities_agree() -> None:
    r = score(
        "static99r",
        static99r_items(age_at_release=20, lived_with_partner_2_years=False, male_victim=None),
    )
    assert (r.score, r.band, r.possible_scores) == (None, "III", (2, 3))


def test_missing_age_spans_every_age_band() -> None:
    r = score("static99r", static99r_items(age_at_release=None))
    assert r.possible_scores == (-3, 1)
    assert r.possible_bands == ("I", "II", "III")


def test_two_missing_items_not_scorable() -> None:
    with pytest.raises(NotScorable):
        score("static99r", static99r_items(male_victim=None, stranger_victim=None))


def test_flags_signoff() -> None:
    r = score("static99r", static99r_items())
    assert r.needs_signoff is True
    assert r.details["level_name"] == "Below average risk"
