"""OSP/DC and OSP/IIC against the HMPPS code and its tests (domain-rules.md §3.5)."""

from __future__ import annotations

import math

import pytest

from comeforward.risk import score
from comeforward.risk.errors import InconsistentItems, NotApplicable, NotScorable, ValueOutOfRange
from comeforward.risk.osp import OspIic, OspIicRules, ospdc_band, ospdc_probability

from .helpers import ospdc_items, ospiic_items, points


# --- OSP/DC -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score_", "expected"),
    [
        # OSPDCTransformationHelperTest.getOSPDCScoreValidScores (HMPPS)
        (32, 0.028756873716863567),
        (64, 0.8311640984549419),
        (0, 0.0),
    ],
)
def test_ospdc_probability_matches_hmpps_test_vectors(score_: int, expected: float) -> None:
    assert ospdc_probability(score_) == pytest.approx(expected, abs=1e-12)


def test_ospdc_probability_is_the_logistic_formula() -> None:
    z = -8.6333 + 0.1598 * 17
    assert ospdc_probability(17) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)


@pytest.mark.parametrize(
    ("score_", "band"),
    [
        (0, "NOT_APPLICABLE"),
        (1, "LOW"),
        (21, "LOW"),
        (22, "MEDIUM"),
        (29, "MEDIUM"),
        (30, "HIGH"),
        (35, "HIGH"),
        (36, "VERY_HIGH"),
        (64, "VERY_HIGH"),
    ],
)
def test_ospdc_band_boundaries(score_: int, band: str) -> None:
    assert ospdc_band(score_) == band


@pytest.mark.parametrize(
    ("n", "adult", "child"), [(0, 0, 0), (1, 5, 3), (2, 10, 6), (3, 15, 9), (40, 15, 9)]
)
def test_ospdc_contact_weights(n: int, adult: int, child: int) -> None:
    r = score(
        "osp-dc", ospdc_items(contact_adult_sexual_sanctions=n, contact_child_sexual_sanctions=n)
    )
    p = points(r)
    assert (p["contact_adult_sexual_sanctions"], p["contact_child_sexual_sanctions"]) == (
        adult,
        child,
    )


@pytest.mark.parametrize(
    # HMPPS vectors: (total non-contact, IIOC) → weight
    ("noncontact", "iioc", "weight"),
    [(1, 1, 0), (2, 1, 2), (4, 2, 4), (6, 3, 6), (10**9, 1, 6)],
)
def test_ospdc_noncontact_excludes_iioc(noncontact: int, iioc: int, weight: int) -> None:
    r = score("osp-dc", ospdc_items(noncontact_sexual_sanctions=noncontact, iioc_sanctions=iioc))
    assert points(r)["noncontact_sexual_sanctions"] == weight
    assert points(r)["iioc_sanctions"] is None


@pytest.mark.parametrize(
    # HMPPS getAgeAtStartOfFollowupWeightValidAges, plus the 62/63 edge
    ("age", "weight"),
    [
        (18, 14),
        (21, 13),
        (24, 12),
        (30, 10),
        (33, 9),
        (45, 5),
        (57, 1),
        (60, 0),
        (62, 0),
        (63, 0),
        (120, 0),  # the oldest age accepted (MAX_AGE_YEARS)
        (19, 14),
        (20, 14),
    ],
)
def test_ospdc_age_at_start_weight(age: int, weight: int) -> None:
    r = score("osp-dc", ospdc_items(age_at_start_of_followup=age))
    assert points(r)["age_at_start_of_followup"] == weight


@pytest.mark.parametrize(
    ("age", "weight"), [(10, 0), (15, 0), (16, 5), (17, 5), (18, 10), (35, 10), (100, 10)]
)
def test_ospdc_age_at_last_sanction_weight(age: int, weight: int) -> None:
    r = score("osp-dc", ospdc_items(age_at_last_sexual_sanction=age))
    assert points(r)["age_at_last_sexual_sanction"] == weight


def test_ospdc_age_at_last_sanction_below_10_is_invalid() -> None:
    with pytest.raises(ValueOutOfRange) as exc:
        score("osp-dc", ospdc_items(age_at_last_sexual_sanction=9))
    assert exc.value.code == "VALUE_OUT_OF_RANGE"


@pytest.mark.parametrize(("total", "weight"), [(1, 0), (2, 6), (5, 6), (100, 6)])
def test_ospdc_total_sanctions_weight(total: int, weight: int) -> None:
    assert points(score("osp-dc", ospdc_items(total_sanctions=total)))["total_sanctions"] == weight


def test_ospdc_zero_total_sanctions_is_invalid() -> None:
    with pytest.raises(ValueOutOfRange):
        score("osp-dc", ospdc_items(total_sanctions=0))


def test_ospdc_worked_example_low() -> None:
    r = score("osp-dc", ospdc_items())
    # 0 + 0 + 0 (1 non-contact − 1 IIOC) + (20 − 13) + 10 + 0 + 0
    assert (r.score, r.band, r.min_score, r.max_score) == (17, "LOW", 0, 64)
    assert r.probability == pytest.approx(ospdc_probability(17))
    assert r.missing == ()
    assert r.possible_scores == (17, 17)


def test_ospdc_maximum_is_64_very_high() -> None:
    r = score(
        "osp-dc",
        ospdc_items(
            contact_adult_sexual_sanctions=3,
            contact_child_sexual_sanctions=3,
            noncontact_sexual_sanctions=3,
            iioc_sanctions=0,
            total_sanctions=9,
            age_at_start_of_followup=18,
            age_at_last_sexual_sanction=18,
            stranger_victim=True,
        ),
    )
    assert (r.score, r.band) == (64, "VERY_HIGH")
    assert r.probability == pytest.approx(0.8311640984549419, abs=1e-12)


def test_ospdc_zero_score_is_band_not_applicable_with_zero_probability() -> None:
    # HMPPS "should return NOT_APPLICABLE OSPDCObject when 64 point score is 0"
    r = score(
        "osp-dc",
        ospdc_items(
            noncontact_sexual_sanctions=0,
            iioc_sanctions=0,
            age_at_start_of_followup=75,
            age_at_last_sexual_sanction=13,
        ),
    )
    assert (r.score, r.band, r.probability) == (0, "NOT_APPLICABLE", 0.0)
    assert any("64 point score value: 0" in w for w in r.warnings)


@pytest.mark.parametrize(("stranger", "weight", "total"), [(True, 4, 21), (False, 0, 17)])
def test_ospdc_stranger_victim(stranger: bool, weight: int, total: int) -> None:
    r = score("osp-dc", ospdc_items(stranger_victim=stranger))
    assert (points(r)["stranger_victim"], r.score) == (weight, total)


def test_ospdc_unknown_stranger_scores_2_and_reports_the_range() -> None:
    r = score("osp-dc", ospdc_items(stranger_victim=None))
    assert (r.score, r.band) == (19, "LOW")
    assert points(r)["stranger_victim"] == 2
    assert r.missing == ("stranger_victim",)
    assert r.possible_scores == (17, 21)
    assert r.possible_bands == ("LOW",)


def test_ospdc_unknown_stranger_can_straddle_a_band() -> None:
    r = score(
        "osp-dc",
        ospdc_items(stranger_victim=None, contact_adult_sexual_sanctions=3, total_sanctions=2),
    )
    # 15 + 0 + 0 + 7 + 10 + 6 + 2 = 40; range 38..42
    assert (r.score, r.possible_scores) == (40, (38, 42))
    r = score(
        "osp-dc",
        ospdc_items(stranger_victim=None, contact_adult_sexual_sanctions=1, total_sanctions=2),
    )
    # 5 + 7 + 10 + 6 + 2 = 30 HIGH; range 28 (MEDIUM) .. 32 (HIGH)
    assert (r.score, r.band, r.possible_bands) == (30, "HIGH", ("MEDIUM", "HIGH"))


def test_ospdc_female_is_not_applicable_with_hmpps_fixed_probability() -> None:
    with pytest.raises(NotApplicable) as exc:
        score("osp-dc", ospdc_items(sex="female"))
    d = exc.value.details
    assert exc.value.code == "NOT_APPLICABLE"
    assert d["hmpps_probability"] == 0.00383142
    assert d["recommended_alternatives"] == ["STRUCTURED_PROFESSIONAL_JUDGEMENT"]


def test_ospdc_under_18_is_not_applicable() -> None:
    with pytest.raises(NotApplicable) as exc:
        score("osp-dc", ospdc_items(age_at_start_of_followup=17))
    assert exc.value.details["reason"] == "UNDER_18"


def test_ospdc_more_iioc_than_noncontact_is_inconsistent() -> None:
    # HMPPS: "Invalid total non-contact sexual offences excluding indecent images value: -1"
    with pytest.raises(InconsistentItems):
        score("osp-dc", ospdc_items(noncontact_sexual_sanctions=0, iioc_sanctions=1))


@pytest.mark.parametrize(
    "key",
    [
        "sex",
        "contact_adult_sexual_sanctions",
        "contact_child_sexual_sanctions",
        "noncontact_sexual_sanctions",
        "iioc_sanctions",
        "total_sanctions",
        "age_at_start_of_followup",
        "age_at_last_sexual_sanction",
    ],
)
def test_ospdc_required_items_cannot_be_null(key: str) -> None:
    with pytest.raises(NotScorable) as exc:
        score("osp-dc", ospdc_items(**{key: None}))
    assert exc.value.details["missing"] == [key]


# --- OSP/IIC ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("adult", "child", "noncontact", "iioc", "rule", "band", "probability"),
    [
        (0, 0, 2, 2, "TWO_OR_MORE_IIOC_SANCTIONS", "VERY_HIGH", 0.10310),
        (5, 5, 9, 9, "TWO_OR_MORE_IIOC_SANCTIONS", "VERY_HIGH", 0.10310),
        (0, 0, 1, 1, "ONE_IIOC_SANCTION", "HIGH", 0.03328),
        (0, 3, 1, 1, "ONE_IIOC_SANCTION", "HIGH", 0.03328),
        (0, 2, 0, 0, "TWO_OR_MORE_CONTACT_CHILD_SEXUAL_SANCTIONS", "MEDIUM", 0.00926),
        (0, 1, 0, 0, "ONE_CONTACT_CHILD_SEXUAL_SANCTION", "LOW", 0.00634),
        (0, 0, 0, 0, "NO_SEXUAL_SANCTIONS", "LOW", 0.00062),
        (1, 0, 0, 0, "ALL_OTHERS", "LOW", 0.00281),
        (0, 0, 1, 0, "ALL_OTHERS", "LOW", 0.00281),
    ],
)
def test_ospiic_hierarchy(
    adult: int, child: int, noncontact: int, iioc: int, rule: str, band: str, probability: float
) -> None:
    r = score(
        "osp-iic",
        ospiic_items(
            contact_adult_sexual_sanctions=adult,
            contact_child_sexual_sanctions=child,
            noncontact_sexual_sanctions=noncontact,
            iioc_sanctions=iioc,
        ),
    )
    assert (r.details["rule"], r.band, r.probability) == (rule, band, probability)
    assert (r.score, r.min_score, r.max_score) == (None, None, None)


@pytest.mark.parametrize(
    ("iioc", "child", "band"), [(2, 0, "HIGH"), (1, 0, "MEDIUM"), (0, 2, "LOW"), (0, 1, "LOW")]
)
def test_ospiic_earlier_band_version(iioc: int, child: int, band: str) -> None:
    inst = OspIic(OspIicRules(band_version="earlier"))
    r = inst.score(
        ospiic_items(
            iioc_sanctions=iioc,
            noncontact_sexual_sanctions=iioc,
            contact_child_sexual_sanctions=child,
        )
    )
    assert r.band == band


def test_ospiic_female_not_applicable() -> None:
    with pytest.raises(NotApplicable) as exc:
        score("osp-iic", ospiic_items(sex="female"))
    assert exc.value.details["hmpps_probability"] == 0.0


def test_ospiic_null_is_not_scorable() -> None:
    with pytest.raises(NotScorable):
        score("osp-iic", ospiic_items(iioc_sanctions=None))


def test_ospiic_inconsistent() -> None:
    with pytest.raises(InconsistentItems):
        score("osp-iic", ospiic_items(noncontact_sexual_sanctions=1, iioc_sanctions=2))
