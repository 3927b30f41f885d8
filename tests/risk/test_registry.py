"""Registry, item definitions (for the web form) and the contract's item keys."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from comeforward.risk import definition, get, names
from comeforward.risk.errors import UnknownInstrument, UnknownItem

# INTERFACES.md §3 item keys (extensions: cport.casic_total).
CONTRACT = {
    "cport": [
        "age_35_or_younger",
        "prior_criminal_history",
        "contact_sexual_offending",
        "conditional_release_failure",
        "sexual_interest_in_children",
        "more_boy_than_girl_csem",
        "more_boy_than_girl_other",
    ],
    "casic": [
        "never_married",
        "csem_videos",
        "csem_stories",
        "interest_two_years_plus",
        "volunteered_with_children",
        "online_sexual_communication_with_minor",
    ],
    "osp-dc": [
        "sex",
        "contact_adult_sexual_sanctions",
        "contact_child_sexual_sanctions",
        "noncontact_sexual_sanctions",
        "iioc_sanctions",
        "total_sanctions",
        "age_at_start_of_followup",
        "age_at_last_sexual_sanction",
        "stranger_victim",
    ],
    "osp-iic": [
        "sex",
        "contact_adult_sexual_sanctions",
        "contact_child_sexual_sanctions",
        "noncontact_sexual_sanctions",
        "iioc_sanctions",
    ],
    "rm2000s": [
        "age",
        "sexual_appearances",
        "criminal_appearances",
        "male_victim",
        "stranger_victim",
        "never_married",
        "noncontact_conviction",
        "iioc_modified",
    ],
    "static99r": [
        "age_at_release",
        "lived_with_partner_2_years",
        "index_nonsexual_violence",
        "prior_nonsexual_violence",
        "prior_sex_offence_charges",
        "prior_sex_offence_convictions",
        "prior_sentencing_dates",
        "noncontact_sex_offence",
        "unrelated_victim",
        "stranger_victim",
        "male_victim",
        "has_category_a_offence",
    ],
}
EXTENSIONS = {"cport": ["casic_total"]}


def test_registry_names() -> None:
    assert names() == list(CONTRACT)


@pytest.mark.parametrize("name", list(CONTRACT))
def test_item_keys_match_contract(name: str) -> None:
    keys = [i["key"] for i in definition(name)["items"]]
    assert keys == CONTRACT[name] + EXTENSIONS.get(name, [])


@pytest.mark.parametrize("name", list(CONTRACT))
def test_definition_has_citation_and_notes(name: str) -> None:
    d = definition(name)
    assert d["citation"] and d["version"] and d["population"]
    assert all(i["coding_notes"] and i["label"] for i in d["items"])


def test_unknown_instrument() -> None:
    with pytest.raises(UnknownInstrument) as exc:
        get("kirat")
    assert exc.value.details["known"] == list(CONTRACT)


def test_unknown_item_lists_known_keys() -> None:
    with pytest.raises(UnknownItem) as exc:
        get("casic").score({"nope": True})
    assert exc.value.details["unknown"] == ["nope"]


def test_risk_package_imports_nothing_outside_itself_but_errors() -> None:
    root = Path(__file__).resolve().parents[2] / "src" / "comeforward" / "risk"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            for m in mods:
                assert not m.startswith("django"), (path, m)
                if m.startswith("comeforward"):
                    assert m.startswith(("comeforward.risk", "comeforward.errors")), (path, m)
