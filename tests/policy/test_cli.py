"""``comeforward policy evaluate | facts | show`` (issue 12.8; docs/policy-evaluate.md):
JSON in, JSON out, errors as for ``law`` — through a real subprocess and through main()."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from comeforward.cli import main as comeforward_main
from comeforward.policy import PolicyFacts
from comeforward.policy.cli import main

from .test_evaluate import ELIGIBLE

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "comeforward"
DOCS = ROOT / "docs" / "policy-evaluate.md"


def eligible_json(**changes: Any) -> dict[str, Any]:
    return dataclasses.replace(ELIGIBLE, **changes).as_dict()


def call(args: list[str], payload: Any = None, raw: str | None = None) -> tuple[int, Any]:
    text = raw if raw is not None else json.dumps(payload)
    out = io.StringIO()
    code = main(args, stdin=io.StringIO(text), stdout=out)
    return code, json.loads(out.getvalue())


def test_subprocess_evaluate_eligible_case_diverts():
    proc = subprocess.run(
        [str(SCRIPT), "policy", "evaluate"],
        input=json.dumps(eligible_json()).encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["outcome"] == "divert"
    assert data["recommendation"] == {
        "outcome": "divert",
        "label": "Divert (caution and conditions)",
    }
    assert [c["status"] for c in data["criteria"]] == ["met"] * 13
    e5 = data["criteria"][4]
    assert e5["code"] == "E5"
    assert e5["reason"] == "No production, sharing or distribution."
    assert e5["text"].startswith("Excluded if there is taking or making at source")
    assert e5["source_facts"] == ["production_or_distribution"]
    assert e5["facts"] == {"production_or_distribution": False}
    assert data["missing"] == []


def test_subprocess_bad_json_exits_2_with_code():
    proc = subprocess.run(
        [str(SCRIPT), "policy", "evaluate"],
        input=b"{not json",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["code"] == "INVALID_JSON"
    assert b"Traceback" not in proc.stdout + proc.stderr


def test_the_issue_ungraded_case_through_the_cli():
    code, data = call(
        ["evaluate"],
        eligible_json(
            category_a_count=0, category_b_count=0, category_c_count=0, ungraded_item_count=5800
        ),
    )
    assert code == 0
    assert data["outcome"] == "insufficient_information"
    assert data["unknown"] == ["E3", "E7"]
    assert [m["fact"] for m in data["missing"]] == ["ungraded_sample_review_certified"]
    assert data["missing"][0]["supplied_by"] == "forensic examiner"


def test_unknown_exclusion_fact_names_the_fact_and_supplier():
    code, data = call(["evaluate"], eligible_json(access_to_children=None))
    assert code == 0
    assert data["outcome"] == "insufficient_information"
    e9 = data["criteria"][8]
    assert e9["status"] == "unknown"
    assert e9["missing"] == [
        {
            "fact": "access_to_children",
            "supplied_by": "safeguarding officer",
            "meaning": e9["missing"][0]["meaning"],
        }
    ]


def test_absent_keys_are_unknown_never_met():
    code, data = call(["evaluate"], {})
    assert code == 0
    assert data["outcome"] == "insufficient_information"
    assert data["unknown"] == [f"E{n}" for n in range(1, 14)]


def test_prohibited_images_offence_evaluates():
    code, data = call(["evaluate"], eligible_json(offences=("CJA2009_S62",)))
    assert code == 0
    assert data["criteria"][12]["status"] == "met"


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"shoe_size": 9}, "UNKNOWN_POLICY_FACT", None),
        ({"age_at_caution": "40"}, "WRONG_TYPE", "age_at_caution"),
        ({"age_at_caution": True}, "WRONG_TYPE", "age_at_caution"),
        ({"category_a_count": -1}, "NEGATIVE_VALUE", "category_a_count"),
        ({"access_to_children": "yes"}, "WRONG_TYPE", "access_to_children"),
        ({"access_to_children": 1}, "WRONG_TYPE", "access_to_children"),
        ({"assessed_risk_level": "tiny"}, "INVALID_VALUE", "assessed_risk_level"),
        ({"offences": "PCA1978_S1"}, "WRONG_TYPE", "offences"),
        ({"offences": ["THEFT_ACT_S1"]}, "UNKNOWN_OFFENCE", "offences"),
        ([1, 2], "WRONG_TYPE", None),
    ],
)
def test_bad_facts_exit_2_with_stable_code(payload, code, field):
    exit_code, data = call(["evaluate"], payload)
    assert exit_code == 2
    assert data["error"]["code"] == code
    if field:
        assert data["error"]["details"]["field"] == field


def test_not_json_and_nan_refused():
    assert call(["evaluate"], raw="[")[1]["error"]["code"] == "INVALID_JSON"
    assert call(["evaluate"], raw='{"age_at_caution": NaN}')[1]["error"]["code"] == "INVALID_JSON"


def test_unknown_command_and_policy_version():
    assert call(["judge"], {})[1]["error"]["code"] == "UNKNOWN_COMMAND"
    assert call([], {})[1]["error"]["code"] == "UNKNOWN_COMMAND"
    code, data = call(["evaluate", "--policy", "nope-1"], {})
    assert (code, data["error"]["code"]) == (2, "POLICY_NOT_FOUND")


def test_facts_command_lists_every_fact_with_supplier():
    code, data = call(["facts"], raw="")
    assert code == 0
    assert list(data["facts"]) == list(PolicyFacts.field_names())
    assert data["facts"]["ungraded_item_count"]["supplied_by"] == "forensic examiner"


def test_show_command_gives_rule_texts():
    code, data = call(["show", "--policy=default-2026.1"], raw="")
    assert code == 0
    assert data["policy"]["version"] == "default-2026.1"
    assert "CJA2009_S62" in data["criteria"]["E13"]["thresholds"]["eligible_offences"]


def test_top_level_cli_routes_policy(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("{}"))
    assert comeforward_main(["policy", "evaluate"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "insufficient_information"


def test_docs_name_every_fact():
    text = DOCS.read_text(encoding="utf-8")
    for name in PolicyFacts.field_names():
        assert f"`{name}`" in text, name
