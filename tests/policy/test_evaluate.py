"""The eligibility policy E1–E13 (domain-rules.md §4.7): every criterion's edges."""

from __future__ import annotations

import dataclasses

import pytest

from comeforward.policy import Outcome, PolicyFacts, Status, evaluate, load_policy

#: A case where every criterion is met under the default policy.
ELIGIBLE = PolicyFacts(
    age_at_caution=40,
    age_at_offence=39,
    admission_recorded=True,
    admission_only_at_caution_stage=False,
    forensic_examination_complete=True,
    ungraded_item_count=0,
    contact_sexual_offending=False,
    specific_child_safeguarding_concern=False,
    production_or_distribution=False,
    commissioning_or_live_streaming=False,
    online_sexual_communication_with_minor=False,
    category_a_count=0,
    category_b_count=3,
    category_c_count=20,
    previous_sexual_convictions_or_cautions=False,
    other_history_violent_or_sexual=False,
    similar_caution_within_period=False,
    access_to_children=False,
    works_or_volunteers_with_children=False,
    assessment_complete=True,
    assessed_risk_level="low",
    consents_to_conditions=True,
    offences=("PCA1978_S1",),
)
POLICY = load_policy("default-2026.1")


def status(code: str, **changes) -> Status:
    return evaluate(dataclasses.replace(ELIGIBLE, **changes), POLICY).criterion(code).status


def test_all_met_recommends_diversion_and_records_the_rules():
    rec = evaluate(ELIGIBLE, POLICY)
    assert rec.outcome == Outcome.DIVERT
    assert rec.fired == [] and rec.unknown == []
    assert [c.status for c in rec.criteria] == [Status.MET] * 13
    assert rec.policy_version == "default-2026.1"
    assert rec.flags == ["PREFER_CONDITIONAL_CAUTION"]
    assert rec.awaiting_signoff == ["E7", "E8", "E9", "E10", "E12", "E13"]
    e7 = rec.as_dict()["criteria"][6]
    assert e7["code"] == "E7"
    assert e7["facts"] == {
        "category_a_count": 0,
        "category_b_count": 3,
        "category_c_count": 20,
        "ungraded_item_count": 0,
        "ungraded_sample_review_certified": None,
    }
    assert e7["source_facts"] == list(e7["facts"])
    assert e7["missing"] == []
    assert e7["thresholds"] == {
        "category_a_de_minimis": 0,
        "category_b_maximum": 50,
        "high_volume_total": 1000,
    }
    assert e7["text"].startswith("Low-level images only")
    assert e7["needs_signoff"] is True


def test_nothing_known_is_insufficient_information_never_a_guess():
    rec = evaluate(PolicyFacts(), POLICY)
    assert rec.outcome == Outcome.INSUFFICIENT_INFORMATION
    assert rec.unknown == [f"E{n}" for n in range(1, 14)]


def test_an_exclusion_wins_over_unknowns():
    rec = evaluate(PolicyFacts(production_or_distribution=True), POLICY)
    assert rec.outcome == Outcome.PROSECUTE
    assert rec.fired == ["E5"]


@pytest.mark.parametrize(
    ("age", "expected"), [(17, Status.NOT_MET), (18, Status.MET), (None, Status.UNKNOWN)]
)
def test_e1_age_at_caution(age, expected):
    assert status("E1", age_at_caution=age) == expected


def test_e1_under_18_routes_to_youth_pathway_and_flags_offence_under_18():
    rec = evaluate(dataclasses.replace(ELIGIBLE, age_at_caution=17, age_at_offence=16), POLICY)
    assert rec.criterion("E1").flags == ("OFFENCE_UNDER_18", "YOUTH_PATHWAY")
    adult_now = evaluate(dataclasses.replace(ELIGIBLE, age_at_offence=17), POLICY)
    assert adult_now.criterion("E1").status == Status.MET
    assert adult_now.criterion("E1").flags == ("OFFENCE_UNDER_18",)
    assert "Outcome 21/22" in adult_now.criterion("E1").explanation


@pytest.mark.parametrize(
    ("recorded", "only_at_caution", "expected"),
    [
        (True, False, Status.MET),
        (False, False, Status.NOT_MET),
        (True, True, Status.NOT_MET),
        (True, None, Status.UNKNOWN),
        (None, False, Status.UNKNOWN),
        (None, True, Status.NOT_MET),
    ],
)
def test_e2_admission(recorded, only_at_caution, expected):
    assert (
        status("E2", admission_recorded=recorded, admission_only_at_caution_stage=only_at_caution)
        == expected
    )


@pytest.mark.parametrize(
    ("complete", "expected"), [(True, Status.MET), (False, Status.UNKNOWN), (None, Status.UNKNOWN)]
)
def test_e3_evidence(complete, expected):
    assert status("E3", forensic_examination_complete=complete) == expected


@pytest.mark.parametrize(
    ("contact", "child", "expected"),
    [
        (False, False, Status.MET),
        (True, False, Status.NOT_MET),
        (False, True, Status.NOT_MET),
        (None, True, Status.NOT_MET),
        (None, False, Status.UNKNOWN),
    ],
)
def test_e4_contact_offending(contact, child, expected):
    assert (
        status("E4", contact_sexual_offending=contact, specific_child_safeguarding_concern=child)
        == expected
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(False, Status.MET), (True, Status.NOT_MET), (None, Status.UNKNOWN)],
)
def test_e5_production_or_distribution(value, expected):
    assert status("E5", production_or_distribution=value) == expected


@pytest.mark.parametrize(
    ("commissioning", "grooming", "expected"),
    [
        (False, False, Status.MET),
        (True, False, Status.NOT_MET),
        (False, True, Status.NOT_MET),
        (False, None, Status.UNKNOWN),
    ],
)
def test_e6_commissioning_or_grooming(commissioning, grooming, expected):
    assert (
        status(
            "E6",
            commissioning_or_live_streaming=commissioning,
            online_sexual_communication_with_minor=grooming,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        (0, 0, 0, Status.MET),  # admission-only, nothing found
        (0, 50, 0, Status.MET),  # B at the limit
        (0, 51, 0, Status.NOT_MET),  # B one over
        (1, 0, 0, Status.NOT_MET),  # any Category A above the de-minimis 0
        (0, 0, 1000, Status.MET),  # total at the high-volume limit
        (0, 0, 1001, Status.NOT_MET),  # one over
        (None, 0, 5, Status.UNKNOWN),
        (None, 51, 0, Status.NOT_MET),  # a known exclusion despite the unknown
        (None, None, 1001, Status.NOT_MET),  # known total already high volume
    ],
)
def test_e7_severity_and_volume(a, b, c, expected):
    assert status("E7", category_a_count=a, category_b_count=b, category_c_count=c) == expected


def test_e7_explains_admission_only_case():
    rec = evaluate(
        dataclasses.replace(ELIGIBLE, category_a_count=0, category_b_count=0, category_c_count=0),
        POLICY,
    )
    assert rec.criterion("E7").explanation == (
        "No images found and nothing ungraded (admission-only case)."
    )


@pytest.mark.parametrize(
    ("sexual", "violent", "similar", "expected"),
    [
        (False, False, False, Status.MET),
        (True, False, False, Status.NOT_MET),
        (False, True, False, Status.NOT_MET),
        (False, False, True, Status.NOT_MET),
        (False, None, False, Status.UNKNOWN),
    ],
)
def test_e8_history(sexual, violent, similar, expected):
    assert (
        status(
            "E8",
            previous_sexual_convictions_or_cautions=sexual,
            other_history_violent_or_sexual=violent,
            similar_caution_within_period=similar,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("access", "strategy", "plan", "expected"),
    [
        (False, None, None, Status.MET),
        (None, None, None, Status.UNKNOWN),
        (True, None, None, Status.UNKNOWN),  # strategy discussion first
        (True, False, True, Status.UNKNOWN),
        (True, True, True, Status.MET),
        (True, True, False, Status.NOT_MET),
        (True, True, None, Status.UNKNOWN),
    ],
)
def test_e9_access_to_children(access, strategy, plan, expected):
    assert (
        status(
            "E9",
            access_to_children=access,
            strategy_discussion_held=strategy,
            safety_plan_agreed=plan,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("works", "lado", "expected"),
    [
        (False, None, Status.MET),
        (None, None, Status.UNKNOWN),
        (True, None, Status.UNKNOWN),
        (True, True, Status.MET),
        (True, False, Status.NOT_MET),
    ],
)
def test_e10_work_with_children(works, lado, expected):
    assert (
        status(
            "E10", works_or_volunteers_with_children=works, lado_concluded_diversion_suitable=lado
        )
        == expected
    )


@pytest.mark.parametrize(
    ("complete", "level", "expected"),
    [
        (True, "low", Status.MET),
        (True, "medium", Status.NOT_MET),
        (True, "high", Status.NOT_MET),
        (True, None, Status.UNKNOWN),
        (False, "low", Status.UNKNOWN),
        (None, None, Status.UNKNOWN),
    ],
)
def test_e11_independent_assessment(complete, level, expected):
    assert status("E11", assessment_complete=complete, assessed_risk_level=level) == expected


@pytest.mark.parametrize(
    ("consent", "expected"), [(True, Status.MET), (False, Status.NOT_MET), (None, Status.UNKNOWN)]
)
def test_e12_consent(consent, expected):
    assert status("E12", consents_to_conditions=consent) == expected


@pytest.mark.parametrize(
    ("offences", "expected"),
    [
        (("PCA1978_S1",), Status.MET),
        (("PCA1978_S1", "CJA1988_S160"), Status.MET),
        (("CJA1988_S160", "CEMA1979_S170"), Status.NOT_MET),
        ((), Status.UNKNOWN),
        (None, Status.UNKNOWN),
    ],
)
def test_e13_offence_type(offences, expected):
    assert status("E13", offences=offences) == expected


def test_recommendation_dict_is_json_ready():
    import json

    data = evaluate(dataclasses.replace(ELIGIBLE, category_a_count=2), POLICY).as_dict()
    assert json.loads(json.dumps(data))["fired"] == ["E7"]
    assert data["outcome"] == "prosecute"
    assert data["criteria"][6]["explanation"] == "2 Category A image(s): more than 0."
