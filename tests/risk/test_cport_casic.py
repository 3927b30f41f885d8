"""CPORT (domain-rules.md §3.1) and CASIC (§3.2)."""

from __future__ import annotations

import pytest

from comeforward.risk import score
from comeforward.risk.cport import CPORT_ITEM_KEYS, Cport, CportRules
from comeforward.risk.errors import NotScorable, WrongType

from .helpers import casic_items, cport_items, points


@pytest.mark.parametrize("n_yes", range(8))
def test_cport_total_is_number_of_yes_items(n_yes: int) -> None:
    items = cport_items(**{k: True for k in CPORT_ITEM_KEYS[:n_yes]})
    r = score("cport", items)
    assert (r.score, r.min_score, r.max_score) == (n_yes, 0, 7)
    assert (r.band, r.probability) == (None, None)
    assert r.possible_scores == (n_yes, n_yes)


@pytest.mark.parametrize("key", CPORT_ITEM_KEYS)
def test_cport_each_item_scores_one(key: str) -> None:
    r = score("cport", cport_items(**{key: True}))
    assert r.score == 1
    assert points(r)[key] == 1


def test_cport_one_missing_counts_zero_and_reports_range() -> None:
    # Guide: at most one missing item; pseudo-code counts it 0 ("minimum score").
    r = score("cport", cport_items(age_35_or_younger=True, more_boy_than_girl_csem=None))
    assert r.score == 1
    assert r.missing == ("more_boy_than_girl_csem",)
    assert r.possible_scores == (1, 2)
    assert points(r)["more_boy_than_girl_csem"] == 0
    assert "minimum" in next(i.explanation for i in r.items if i.key == "more_boy_than_girl_csem")


def test_cport_two_missing_is_not_scorable() -> None:
    with pytest.raises(NotScorable) as exc:
        score("cport", cport_items(age_35_or_younger=None, more_boy_than_girl_csem=None))
    assert exc.value.details["missing"] == ["age_35_or_younger", "more_boy_than_girl_csem"]
    assert exc.value.details["max_missing"] == 1


def test_cport_absent_key_is_unknown() -> None:
    items = cport_items()
    del items["prior_criminal_history"]
    r = score("cport", items)
    assert r.missing == ("prior_criminal_history",)
    assert any("not supplied" in w for w in r.warnings)


@pytest.mark.parametrize(("casic", "item5"), [(2, 0), (3, 1), (6, 1), (0, 0)])
def test_cport_casic_proxy_for_item_5(casic: int, item5: int) -> None:
    r = score("cport", cport_items(sexual_interest_in_children=None, casic_total=casic))
    assert points(r)["sexual_interest_in_children"] == item5
    assert r.score == item5
    assert r.missing == ()  # answered by proxy
    assert r.needs_signoff is True  # the ≥3 cut-off is [M]
    assert any("awaits sign-off" in w for w in r.warnings)


def test_cport_proxy_frees_the_one_missing_allowance() -> None:
    r = score(
        "cport",
        cport_items(sexual_interest_in_children=None, casic_total=4, more_boy_than_girl_other=None),
    )
    assert (r.score, r.missing, r.possible_scores) == (1, ("more_boy_than_girl_other",), (1, 2))


def test_cport_proxy_ignored_when_item_5_known() -> None:
    r = score("cport", cport_items(sexual_interest_in_children=False, casic_total=6))
    assert r.score == 0
    assert r.needs_signoff is False


def test_cport_proxy_can_be_switched_off() -> None:
    inst = Cport(CportRules(casic_proxy=False))
    r = inst.score(cport_items(sexual_interest_in_children=None, casic_total=6))
    assert (r.score, r.missing) == (0, ("sexual_interest_in_children",))


def test_cport_norms_configuration_gives_probability() -> None:
    inst = Cport(CportRules(norms={0: 0.03, 1: 0.05, 7: 0.41}))
    assert inst.score(cport_items()).probability == 0.03
    assert inst.score(cport_items(age_35_or_younger=True)).probability == 0.05


def test_cport_rejects_non_boolean() -> None:
    with pytest.raises(WrongType):
        score("cport", cport_items(age_35_or_younger=1))
    with pytest.raises(WrongType):
        score("cport", cport_items(age_35_or_younger="yes"))


# --- CASIC ------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "meets"), [(0, False), (2, False), (3, True), (6, True)])
def test_casic_total_and_proxy_cutoff(n: int, meets: bool) -> None:
    keys = list(casic_items())[:n]
    r = score("casic", casic_items(**{k: True for k in keys}))
    assert (r.score, r.min_score, r.max_score, r.band, r.probability) == (n, 0, 6, None, None)
    assert r.details["meets_proxy_cutoff"] is meets
    assert r.needs_signoff is True


def test_casic_safeguarding_triggers() -> None:
    r = score(
        "casic",
        casic_items(volunteered_with_children=True, online_sexual_communication_with_minor=True),
    )
    assert r.details["safeguarding_triggers"] == [
        "volunteered_with_children",
        "online_sexual_communication_with_minor",
    ]
    assert sum("safeguarding trigger" in w for w in r.warnings) == 2


def test_casic_no_missing_items_allowed() -> None:
    with pytest.raises(NotScorable) as exc:
        score("casic", casic_items(csem_stories=None))
    assert exc.value.details["max_missing"] == 0
