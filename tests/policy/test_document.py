"""Loading and validating policy files."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from comeforward.policy import (
    PolicyFacts,
    PolicyInvalid,
    PolicyNotFound,
    Status,
    UnknownPolicyFact,
    available_versions,
    evaluate,
    load_policy,
    parse_policy,
)
from comeforward.policy.document import POLICY_DIR

from .test_evaluate import ELIGIBLE

DEFAULT_TEXT = (POLICY_DIR / "default-2026.1.toml").read_text()


def test_default_policy_loads_with_every_criterion():
    policy = load_policy()
    assert policy.version == "default-2026.1"
    assert policy.effective_from == dt.date(2026, 1, 1)
    assert list(policy.criteria) == [f"E{n}" for n in range(1, 14)]
    assert policy.rule("E1").thresholds == {"minimum_age_at_caution": 18}
    assert "default-2026.1" in available_versions()


def test_unknown_version():
    with pytest.raises(PolicyNotFound) as caught:
        load_policy("nope-1")
    assert caught.value.code == "POLICY_NOT_FOUND"
    with pytest.raises(PolicyNotFound):
        load_policy("../policies/default-2026.1")


def test_thresholds_are_configuration():
    stricter = parse_policy(
        DEFAULT_TEXT.replace("category_b_maximum = 50", "category_b_maximum = 2").replace(
            'version = "default-2026.1"', 'version = "strict-1"'
        )
    )
    rec = evaluate(ELIGIBLE, stricter)  # 3 Category B images
    assert rec.policy_version == "strict-1"
    assert rec.criterion("E7").status == Status.NOT_MET
    assert rec.criterion("E7").explanation == "3 Category B images: more than 2."


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("[criteria.E12]", "[criteria.E99]", "exactly the criteria E1–E13"),
        (
            'confidence = "D"\nneeds_signoff = true',
            'confidence = "D"\nneeds_signoff = false',
            "needs_signoff must be true",
        ),
        ("category_a_de_minimis = 0", 'category_a_de_minimis = "none"', "needs threshold"),
        ("category_a_de_minimis = 0", "category_a_de_minimis = -1", "must not be negative"),
        ("effective_from = 2026-01-01", 'effective_from = "soon"', "must be a date"),
        ('version = "default-2026.1"\n', "", "lacks version"),
        ("[policy]", "[policy", "not valid TOML"),
    ],
)
def test_invalid_policies_are_refused(old, new, message):
    assert old in DEFAULT_TEXT
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(DEFAULT_TEXT.replace(old, new, 1))
    assert message in caught.value.message
    assert caught.value.code == "POLICY_INVALID"


def test_facts_round_trip_and_unknown_fact():
    facts = PolicyFacts.from_dict(ELIGIBLE.as_dict())
    assert facts == ELIGIBLE
    assert dataclasses.asdict(facts)["offences"] == ("PCA1978_S1",)
    with pytest.raises(UnknownPolicyFact) as caught:
        PolicyFacts.from_dict({"shoe_size": 9})
    assert caught.value.details["unknown"] == ["shoe_size"]
