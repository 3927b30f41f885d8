"""The disposal rules of the policy file (docs/disposals.md; domain-rules §2.2–2.6, §4.8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comeforward.policy import PolicyInvalid
from comeforward.policy.disposal import (
    REQUIREMENTS,
    breach_route,
    check_caution,
    load_disposal_rules,
    parse_disposal_rules,
)
from comeforward.policy.document import POLICY_DIR

TEXT = (POLICY_DIR / "default-2026.1.toml").read_text()
ALL_MET = dict.fromkeys(REQUIREMENTS, True)


@pytest.fixture(scope="module")
def rules():
    return load_disposal_rules()


def test_default_rules(rules):
    assert rules.version == "default-2026.1"
    assert rules.treatment_condition == "attend_treatment"
    assert [t.kind for t in rules.available()] == ["simple_caution", "conditional_caution"]
    simple, conditional = rules.type("simple_caution"), rules.type("conditional_caution")
    assert (simple.conditions, simple.breach_route) == (False, "none")
    assert (conditional.conditions, conditional.breach_route) == (
        True,
        "prosecute_original_offence",
    )
    assert conditional.needs_signoff is True
    assert set(conditional.requirements) == set(REQUIREMENTS)


def test_the_diversionary_caution_is_configured_but_awaits_commencement(rules):
    diversionary = rules.type("diversionary_caution")
    assert (diversionary.commenced, diversionary.available) == (False, False)
    assert diversionary.needs_signoff is True
    assert "Awaiting commencement" in diversionary.commencement_note
    problems = check_caution(
        rules,
        kind="diversionary_caution",
        condition_kinds=["attend_treatment"],
        treatment_required=True,
        requirements=ALL_MET,
    )
    assert [p.code for p in problems] == ["DISPOSAL_NOT_AVAILABLE"]
    assert "Awaiting commencement" in problems[0].message


def test_a_force_switches_it_on_when_it_commences():
    text = TEXT.replace(
        'law_disposal = "conditional_caution"\ncommenced = false\navailable = false',
        'law_disposal = "conditional_caution"\ncommenced = true\navailable = true',
    )
    assert text != TEXT
    rules = parse_disposal_rules(text)
    assert "diversionary_caution" in [t.kind for t in rules.available()]
    assert breach_route(rules, "diversionary_caution") == "prosecute_original_offence"


def test_available_before_commencement_is_refused():
    text = TEXT.replace(
        'law_disposal = "conditional_caution"\ncommenced = false\navailable = false',
        'law_disposal = "conditional_caution"\ncommenced = false\navailable = true',
    )
    with pytest.raises(PolicyInvalid, match="not in force"):
        parse_disposal_rules(text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('breach_route = "none"', 'breach_route = "prosecute_original_offence"', "only a disposal"),
        ('breach_route = "none"', 'breach_route = "fine"', "breach_route must be"),
        ('law_disposal = "simple_caution"', 'law_disposal = "nfa"', "law_disposal"),
        (
            '"explanation_and_warning", "signed_consent"]\nsources = "MoJ',
            '"x"]\nsources = "MoJ',
            "unknown",
        ),
    ],
)
def test_invalid_disposal_rules_are_refused(old, new, message):
    assert old in TEXT
    with pytest.raises(PolicyInvalid, match=message):
        parse_disposal_rules(TEXT.replace(old, new, 1))


def test_a_policy_without_disposals_is_refused():
    with pytest.raises(PolicyInvalid, match="no \\[disposals\\]"):
        parse_disposal_rules(TEXT.split("[disposals]")[0])


def test_simple_caution_has_no_breach_route_and_unknown_kinds_none_either(rules):
    assert breach_route(rules, "simple_caution") == "none"
    assert breach_route(rules, "made_up") == "none"


@pytest.mark.parametrize(
    ("kind", "conditions", "treatment", "codes"),
    [
        ("simple_caution", [], False, []),
        ("simple_caution", [], True, ["TREATMENT_NEEDS_CONDITIONAL_CAUTION"]),
        ("simple_caution", [], None, ["TREATMENT_NEEDS_CONDITIONAL_CAUTION"]),
        ("simple_caution", ["attend_treatment"], False, ["DISPOSAL_TAKES_NO_CONDITIONS"]),
        ("conditional_caution", [], False, ["DISPOSAL_NEEDS_CONDITIONS"]),
        ("conditional_caution", ["not_access_iioc"], True, ["TREATMENT_CONDITION_MISSING"]),
        ("conditional_caution", ["not_access_iioc"], None, ["TREATMENT_CONDITION_MISSING"]),
        ("conditional_caution", ["attend_treatment"], True, []),
        ("conditional_caution", ["not_access_iioc"], False, []),
        ("no_such", [], False, ["DISPOSAL_NOT_AVAILABLE"]),
    ],
)
def test_check_caution(rules, kind, conditions, treatment, codes):
    problems = check_caution(
        rules,
        kind=kind,
        condition_kinds=conditions,
        treatment_required=treatment,
        requirements=ALL_MET,
    )
    assert [p.code for p in problems] == codes


@pytest.mark.parametrize("missing", list(REQUIREMENTS))
def test_each_s23_requirement_is_needed(rules, missing):
    problems = check_caution(
        rules,
        kind="conditional_caution",
        condition_kinds=["attend_treatment"],
        treatment_required=True,
        requirements=ALL_MET | {missing: False},
    )
    assert [(p.code, p.field) for p in problems] == [("CAUTION_REQUIREMENT_MISSING", missing)]


KINDS = ["simple_caution", "conditional_caution", "diversionary_caution", "unknown_kind"]
CONDITION_KINDS = ["attend_treatment", "surrender_devices", "not_access_iioc", "other"]


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    conditions=st.lists(st.sampled_from(CONDITION_KINDS), max_size=3),
    treatment=st.sampled_from([True, False, None]),
    met=st.fixed_dictionaries({name: st.booleans() for name in REQUIREMENTS}),
)
def test_property_a_caution_passes_only_when_every_rule_holds(kind, conditions, treatment, met):
    """Fail closed over the whole input space: no missing requirement, unavailable disposal,
    or unknown/required treatment without the treatment condition ever passes."""
    rules = load_disposal_rules()
    problems = check_caution(
        rules, kind=kind, condition_kinds=conditions, treatment_required=treatment, requirements=met
    )
    disposal = rules.type(kind)
    should_pass = (
        disposal is not None
        and disposal.available
        and all(met[name] for name in disposal.requirements)
        and bool(conditions) == disposal.conditions
        and (treatment is False or "attend_treatment" in conditions)
    )
    assert (problems == []) is should_pass
