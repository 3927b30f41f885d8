"""Fail closed (issue 12.1, 12.2): no unknown fact, adverse exclusion fact or ungraded
material ever recommends diversion, over the whole fact space (hypothesis), and every unknown
names the missing fact and who supplies it. Research: domain-rules.md §4.7."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comeforward.policy import Outcome, PolicyFacts, Status, evaluate, load_policy
from comeforward.policy.facts import (
    CONDITIONAL_FACTS,
    EXCLUSION_FACTS,
    FACT_SPECS,
    KNOWN_OFFENCES,
    RISK_LEVELS,
)

from .test_evaluate import ELIGIBLE

POLICY = load_policy("default-2026.1")
INT_FACTS = {n for n, s in FACT_SPECS.items() if s.type.startswith("integer")}
BOOL_FACTS = {n for n, s in FACT_SPECS.items() if s.type == "boolean"}
#: Facts every diversion needs known (the conditional ones only when their parent asks).
REQUIRED = [n for n in PolicyFacts.field_names() if n not in CONDITIONAL_FACTS]


def _value(name: str):
    if name in INT_FACTS:
        # Around the thresholds (A 0, B 50, total 1000, age 18) and beyond.
        return st.none() | st.integers(min_value=0, max_value=1200)
    if name == "assessed_risk_level":
        return st.none() | st.sampled_from(RISK_LEVELS)
    if name == "offences":
        return st.none() | st.lists(st.sampled_from(KNOWN_OFFENCES), max_size=3).map(tuple)
    return st.none() | st.booleans()


ANY_FACTS = st.fixed_dictionaries({n: _value(n) for n in PolicyFacts.field_names()}).map(
    lambda d: PolicyFacts(**d)
)


def _near_eligible():
    """The eligible case with a few facts drawn at random: exercises the diversion edge."""
    names = st.lists(st.sampled_from(PolicyFacts.field_names()), min_size=1, max_size=4)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries({n: _value(n) for n in chosen}).map(
            lambda changes: dataclasses.replace(ELIGIBLE, **changes)
        )
    )


def _assert_divert_is_justified(facts: PolicyFacts) -> None:
    rec = evaluate(facts, POLICY)
    if rec.outcome != Outcome.DIVERT:
        assert rec.missing or rec.fired, "a non-diversion must say what is missing or fired"
        return
    for name in REQUIRED:
        assert getattr(facts, name) is not None, f"diverted with {name} unknown"
    for name in EXCLUSION_FACTS:
        assert getattr(facts, name) is False, f"diverted with {name} not cleared"
    assert facts.offences, "diverted with no offences"
    if facts.access_to_children:
        assert facts.strategy_discussion_held is True and facts.safety_plan_agreed is True
    if facts.works_or_volunteers_with_children:
        assert facts.lado_concluded_diversion_suitable is True
    if facts.ungraded_item_count:
        assert facts.ungraded_sample_review_certified is True
    assert facts.forensic_examination_complete is True
    assert facts.assessment_complete is True and facts.assessed_risk_level == "low"
    assert facts.admission_recorded is True and facts.admission_only_at_caution_stage is False
    assert facts.consents_to_conditions is True
    assert facts.age_at_caution >= 18
    assert facts.category_a_count == 0 and facts.category_b_count <= 50
    assert facts.category_a_count + facts.category_b_count + facts.category_c_count <= 1000


@settings(max_examples=400, deadline=None)
@given(ANY_FACTS)
def test_whole_fact_space_never_diverts_on_unknown_or_adverse(facts):
    _assert_divert_is_justified(facts)


@settings(max_examples=400, deadline=None)
@given(_near_eligible())
def test_near_the_diversion_edge_never_diverts_on_unknown_or_adverse(facts):
    _assert_divert_is_justified(facts)


@settings(max_examples=200, deadline=None)
@given(ANY_FACTS, st.sampled_from(EXCLUSION_FACTS))
def test_an_adverse_exclusion_fact_always_prosecutes(facts, name):
    rec = evaluate(dataclasses.replace(facts, **{name: True}), POLICY)
    assert rec.outcome == Outcome.PROSECUTE


@settings(max_examples=200, deadline=None)
@given(ANY_FACTS, st.sampled_from(REQUIRED))
def test_an_unknown_required_fact_never_diverts_and_is_named(facts, name):
    rec = evaluate(dataclasses.replace(facts, **{name: None}), POLICY)
    assert rec.outcome != Outcome.DIVERT
    if rec.outcome == Outcome.INSUFFICIENT_INFORMATION:
        assert name in {m["fact"] for m in rec.missing}


@settings(max_examples=200, deadline=None)
@given(ANY_FACTS)
def test_every_unknown_criterion_names_a_missing_fact_and_who_supplies_it(facts):
    rec = evaluate(facts, POLICY)
    for criterion in rec.as_dict()["criteria"]:
        if criterion["status"] == "unknown":
            assert criterion["missing"], criterion["code"]
            for item in criterion["missing"]:
                assert item["supplied_by"] == FACT_SPECS[item["fact"]].supplied_by
                assert item["fact"] in criterion["source_facts"]
        else:
            assert criterion["missing"] == []


@pytest.mark.parametrize("name", REQUIRED)
def test_each_required_fact_unknown_in_the_eligible_case_is_insufficient(name):
    rec = evaluate(dataclasses.replace(ELIGIBLE, **{name: None}), POLICY)
    assert rec.outcome == Outcome.INSUFFICIENT_INFORMATION
    assert [m["fact"] for m in rec.missing] == [name]


# --- the instance: 0/0/0 graded, 800 uncategorised and 5,000 unmatched items ------


def test_ungraded_material_is_not_an_admission_only_case():
    facts = dataclasses.replace(
        ELIGIBLE,
        category_a_count=0,
        category_b_count=0,
        category_c_count=0,
        ungraded_item_count=5800,
    )
    rec = evaluate(facts, POLICY)
    assert rec.outcome == Outcome.INSUFFICIENT_INFORMATION
    assert rec.unknown == ["E3", "E7"]
    e7 = rec.criterion("E7")
    assert e7.status == Status.UNKNOWN
    assert e7.explanation == (
        "Graded so far: Category A 0, B 0, C 0. 5800 item(s) are ungraded (unmatched or "
        "uncategorised): grade them, or an examiner certifies a reasoned sample review. "
        "Missing: ungraded sample review certified (forensic examiner)."
    )
    assert rec.missing == [
        {
            "fact": "ungraded_sample_review_certified",
            "supplied_by": "forensic examiner",
            "meaning": FACT_SPECS["ungraded_sample_review_certified"].meaning,
        }
    ]


@pytest.mark.parametrize(
    ("ungraded", "certified", "expected"),
    [
        (None, None, Status.UNKNOWN),
        (0, None, Status.MET),
        (1, None, Status.UNKNOWN),
        (1, False, Status.UNKNOWN),
        (1, True, Status.MET),
        (5800, True, Status.MET),
    ],
)
def test_e3_and_e7_ungraded_edges(ungraded, certified, expected):
    facts = dataclasses.replace(
        ELIGIBLE, ungraded_item_count=ungraded, ungraded_sample_review_certified=certified
    )
    rec = evaluate(facts, POLICY)
    assert rec.criterion("E3").status == expected
    assert rec.criterion("E7").status == expected
    if expected == Status.MET and ungraded:
        assert "SAMPLE_REVIEW_CERTIFIED" in rec.criterion("E7").flags


def test_a_sample_review_never_hides_an_exclusion_in_the_graded_counts():
    facts = dataclasses.replace(
        ELIGIBLE, category_a_count=1, ungraded_item_count=10, ungraded_sample_review_certified=True
    )
    assert evaluate(facts, POLICY).criterion("E7").status == Status.NOT_MET


def test_age_at_offence_unknown_keeps_e1_unknown():
    rec = evaluate(dataclasses.replace(ELIGIBLE, age_at_offence=None), POLICY)
    assert rec.criterion("E1").status == Status.UNKNOWN
    assert rec.criterion("E1").missing == ("age_at_offence",)


def test_prohibited_images_offence_is_known_to_the_policy():
    rec = evaluate(dataclasses.replace(ELIGIBLE, offences=("CJA2009_S62",)), POLICY)
    assert rec.criterion("E13").status == Status.MET
    assert PolicyFacts.from_dict({"offences": ["CJA2009_S62"]}).offences == ("CJA2009_S62",)


def test_policy_offences_are_the_law_engines():
    from comeforward.law import Offence

    assert set(KNOWN_OFFENCES) == {o.value for o in Offence}


# --- combining sources (issue 12.3): never more favourable than any one source ----------------


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PolicyFacts.field_names()).flatmap(
        lambda name: st.tuples(st.just(name), st.lists(_value(name), min_size=1, max_size=5))
    ),
    ANY_FACTS,
)
def test_the_combined_fact_is_never_more_favourable_than_any_source(pair, base):
    from comeforward.policy.facts import most_restrictive

    name, values = pair
    combined = most_restrictive(name, values)
    if all(v is None for v in values):
        assert combined is None
        return
    combined_rec = evaluate(dataclasses.replace(base, **{name: combined}), POLICY)
    rank = {Outcome.PROSECUTE: 0, Outcome.INSUFFICIENT_INFORMATION: 1, Outcome.DIVERT: 2}
    for value in values:
        if value is None:
            continue
        single = evaluate(dataclasses.replace(base, **{name: value}), POLICY)
        assert rank[combined_rec.outcome] <= rank[single.outcome], (name, values, value)


def test_supervisor_says_babysits_beats_screen_says_no_children():
    from comeforward.policy.facts import most_restrictive

    assert most_restrictive("access_to_children", [False, True]) is True
    assert most_restrictive("safety_plan_agreed", [True, False]) is False
    assert most_restrictive("category_a_count", [0, 3, None]) == 3
    assert most_restrictive("assessed_risk_level", ["low", "high"]) == "high"
    assert most_restrictive("offences", [("PCA1978_S1",), ("CJA2009_S62", "PCA1978_S1")]) == (
        "PCA1978_S1",
        "CJA2009_S62",
    )
