"""RM2000/S (domain-rules.md §3.3), including the IIOC modification flag."""

from __future__ import annotations

import pytest

from comeforward.risk import score
from comeforward.risk.errors import InconsistentItems, NotApplicable, NotScorable

from .helpers import points, rm2000_items


@pytest.mark.parametrize(("age", "pts"), [(18, 2), (24, 2), (25, 1), (34, 1), (35, 0), (80, 0)])
def test_age_points(age: int, pts: int) -> None:
    assert points(score("rm2000s", rm2000_items(age=age)))["age"] == pts


@pytest.mark.parametrize(("n", "pts"), [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (12, 3)])
def test_sexual_appearance_points(n: int, pts: int) -> None:
    r = score("rm2000s", rm2000_items(sexual_appearances=n, criminal_appearances=n))
    assert points(r)["sexual_appearances"] == pts


@pytest.mark.parametrize(("n", "pts"), [(1, 0), (4, 0), (5, 1), (30, 1)])
def test_criminal_appearance_points(n: int, pts: int) -> None:
    assert (
        points(score("rm2000s", rm2000_items(criminal_appearances=n)))["criminal_appearances"]
        == pts
    )


@pytest.mark.parametrize(
    # (age, sexual, criminal) → step-1 points, preliminary band
    ("age", "sexual", "criminal", "step1", "band"),
    [
        (40, 1, 1, 0, "LOW"),
        (30, 1, 1, 1, "MEDIUM"),
        (20, 1, 1, 2, "MEDIUM"),
        (20, 2, 2, 3, "HIGH"),
        (20, 3, 3, 4, "HIGH"),
        (20, 3, 5, 5, "VERY_HIGH"),
        (20, 5, 5, 6, "VERY_HIGH"),
    ],
)
def test_step1_band_boundaries(age: int, sexual: int, criminal: int, step1: int, band: str) -> None:
    r = score(
        "rm2000s", rm2000_items(age=age, sexual_appearances=sexual, criminal_appearances=criminal)
    )
    assert (r.score, r.band, r.details["preliminary_band"]) == (step1, band, band)
    assert (r.min_score, r.max_score) == (0, 6)


@pytest.mark.parametrize(("factors", "raised"), [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2)])
def test_step2_raises_categories_unmodified(factors: int, raised: int) -> None:
    keys = ["male_victim", "stranger_victim", "never_married", "noncontact_conviction"][:factors]
    r = score("rm2000s", rm2000_items(**{k: True for k in keys}))  # LOW before step 2
    assert r.band == ["LOW", "MEDIUM", "HIGH"][raised]
    assert r.details["categories_raised"] == raised
    assert r.score == 0  # aggravating factors never change the points


def test_step2_raise_is_capped_at_very_high() -> None:
    r = score(
        "rm2000s",
        rm2000_items(
            age=20,
            sexual_appearances=3,
            criminal_appearances=3,
            male_victim=True,
            stranger_victim=True,
            never_married=True,
            noncontact_conviction=True,
        ),
    )
    assert (r.details["preliminary_band"], r.band, r.details["categories_raised"]) == (
        "HIGH",
        "VERY_HIGH",
        1,
    )


def test_iioc_modification_drops_image_derived_factors() -> None:
    all_four = dict(
        male_victim=True, stranger_victim=True, never_married=True, noncontact_conviction=True
    )
    unmodified = score("rm2000s", rm2000_items(age=30, iioc_modified=False, **all_four))
    modified = score("rm2000s", rm2000_items(age=30, iioc_modified=True, **all_four))
    assert (unmodified.band, unmodified.probability) == ("VERY_HIGH", 0.59)
    assert (modified.band, modified.probability) == ("MEDIUM", 0.19)
    assert modified.details["aggravating_factors"] == ["never_married"]


def test_iioc_modified_defaults_to_true() -> None:
    items = rm2000_items(stranger_victim=True, noncontact_conviction=True)
    del items["iioc_modified"]
    r = score("rm2000s", items)
    assert r.band == "LOW"
    assert r.details["iioc_modified"] is True


def test_probability_is_configured_and_flagged() -> None:
    r = score("rm2000s", rm2000_items())
    assert (r.band, r.probability, r.needs_signoff) == ("LOW", 0.07, True)
    assert any("await sign-off" in w for w in r.warnings)
    assert any("alleged offenders" in w for w in r.warnings)


def test_unknown_factor_that_could_change_band_gives_no_band() -> None:
    r = score("rm2000s", rm2000_items(male_victim=None, stranger_victim=True))
    assert (r.score, r.band, r.probability) == (0, None, None)
    assert r.possible_bands == ("LOW", "MEDIUM")
    assert r.missing == ("male_victim",)


def test_unknown_factor_that_cannot_change_band_keeps_band() -> None:
    r = score("rm2000s", rm2000_items(male_victim=None))  # 0 or 1 factor → no raise
    assert (r.band, r.possible_bands) == ("LOW", ("LOW",))


def test_unknown_factor_excluded_by_modification_is_not_missing() -> None:
    r = score("rm2000s", rm2000_items(iioc_modified=True, male_victim=None))
    assert (r.missing, r.band) == ((), "LOW")


@pytest.mark.parametrize("key", ["age", "sexual_appearances", "criminal_appearances"])
def test_step1_items_required(key: str) -> None:
    with pytest.raises(NotScorable):
        score("rm2000s", rm2000_items(**{key: None}))


def test_not_applicable_under_18_or_no_sexual_appearance() -> None:
    with pytest.raises(NotApplicable):
        score("rm2000s", rm2000_items(age=17))
    with pytest.raises(NotApplicable) as exc:
        score("rm2000s", rm2000_items(sexual_appearances=0))
    assert exc.value.details["reason"] == "NO_SEXUAL_SANCTION"


def test_fewer_criminal_than_sexual_appearances_is_inconsistent() -> None:
    with pytest.raises(InconsistentItems):
        score("rm2000s", rm2000_items(sexual_appearances=3, criminal_appearances=2))
