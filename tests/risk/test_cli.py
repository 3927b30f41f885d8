"""The CLI contract (INTERFACES.md §3), driven through the installed ``comeforward`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from comeforward.risk import score

from .helpers import cport_items, ospdc_items, static99r_items

BIN = Path(sys.executable).with_name("comeforward")
REPO = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str = "") -> tuple[int, Any]:
    proc = subprocess.run(
        [str(BIN), "risk", *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip().startswith(
        ("{", "[")
    ) else proc.stdout


def test_score_cport_matches_python_api() -> None:
    items = cport_items(age_35_or_younger=True, more_boy_than_girl_csem=True)
    rc, out = run("score", "cport", stdin=json.dumps({"items": items}))
    assert rc == 0
    assert out == score("cport", items).as_dict()
    assert out["score"] == 2
    for key in (
        "instrument",
        "version",
        "score",
        "min_score",
        "max_score",
        "band",
        "probability",
        "items",
        "missing",
        "warnings",
        "citation",
    ):
        assert key in out
    assert set(out["items"][0]) == {"key", "value", "points", "explanation"}


def test_readme_command_with_file_on_stdin(tmp_path: Path) -> None:
    """The README's form, ``./comeforward risk score …``: finds the uv the set-up installed."""
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"items": ospdc_items()}))
    with f.open() as fh:
        proc = subprocess.run(
            [str(REPO / "comeforward"), "risk", "score", "osp-dc"],
            stdin=fh,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert (out["instrument"], out["score"], out["band"]) == ("osp-dc", 17, "LOW")


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (("score", "kirat"), '{"items": {}}', "UNKNOWN_INSTRUMENT"),
        (("score", "cport"), "{not json", "INVALID_JSON"),
        (("score", "cport"), '{"items": {"age_35_or_younger": NaN}}', "INVALID_JSON"),
        (("score", "cport"), "[]", "INVALID_INPUT"),
        (("score", "cport"), "{}", "INVALID_INPUT"),
        (("score", "cport"), '{"items": [1]}', "INVALID_INPUT"),
        (("score", "cport"), '{"items": {"shoe_size": true}}', "UNKNOWN_ITEM"),
        (("score", "cport"), '{"items": {"age_35_or_younger": "yes"}}', "WRONG_TYPE"),
        (
            ("score", "osp-iic"),
            json.dumps(
                {
                    "items": {
                        "sex": "male",
                        "contact_adult_sexual_sanctions": -1,
                        "contact_child_sexual_sanctions": 0,
                        "noncontact_sexual_sanctions": 0,
                        "iioc_sanctions": 0,
                    }
                }
            ),
            "NEGATIVE_VALUE",
        ),
        (
            ("score", "osp-iic"),
            json.dumps(
                {
                    "items": {
                        "sex": "male",
                        "contact_adult_sexual_sanctions": 1.5,
                        "contact_child_sexual_sanctions": 0,
                        "noncontact_sexual_sanctions": 0,
                        "iioc_sanctions": 0,
                    }
                }
            ),
            "WRONG_TYPE",
        ),
        (
            ("score", "osp-iic"),
            json.dumps(
                {
                    "items": {
                        "sex": "other",
                        "contact_adult_sexual_sanctions": 0,
                        "contact_child_sexual_sanctions": 0,
                        "noncontact_sexual_sanctions": 0,
                        "iioc_sanctions": 0,
                    }
                }
            ),
            "UNKNOWN_CHOICE",
        ),
        (("score",), "", "UNKNOWN_COMMAND"),
        (("frobnicate",), "", "UNKNOWN_COMMAND"),
        (("items", "nope"), "", "UNKNOWN_INSTRUMENT"),
    ],
)
def test_bad_input_exits_2_with_stable_code(args: tuple[str, ...], stdin: str, code: str) -> None:
    rc, out = run(*args, stdin=stdin)
    assert rc == 2
    assert out["error"]["code"] == code
    assert set(out["error"]) == {"code", "message", "details"}


def test_not_scorable_exit_2() -> None:
    items = cport_items(age_35_or_younger=None, prior_criminal_history=None)
    rc, out = run("score", "cport", stdin=json.dumps({"items": items}))
    assert (rc, out["error"]["code"]) == (2, "NOT_SCORABLE")
    assert out["error"]["details"]["missing"] == ["age_35_or_younger", "prior_criminal_history"]


def test_static99r_not_applicable_names_alternative() -> None:
    items = static99r_items(has_category_a_offence=False)
    rc, out = run("score", "static99r", stdin=json.dumps({"items": items}))
    assert (rc, out["error"]["code"]) == (2, "NOT_APPLICABLE")
    assert out["error"]["details"]["recommended_alternatives"] == ["cport", "rm2000s"]


def test_osp_female_not_applicable() -> None:
    rc, out = run("score", "osp-dc", stdin=json.dumps({"items": ospdc_items(sex="female")}))
    assert (rc, out["error"]["code"]) == (2, "NOT_APPLICABLE")


def test_items_and_list() -> None:
    rc, out = run("list")
    assert rc == 0
    assert [i["instrument"] for i in out["instruments"]] == [
        "cport",
        "casic",
        "osp-dc",
        "osp-iic",
        "rm2000s",
        "static99r",
    ]
    rc, out = run("items", "rm2000s")
    assert rc == 0
    keys = [i["key"] for i in out["items"]]
    assert keys == [
        "age",
        "sexual_appearances",
        "criminal_appearances",
        "male_victim",
        "stranger_victim",
        "never_married",
        "noncontact_conviction",
        "iioc_modified",
    ]
    assert out["items"][-1]["default"] is True
    assert all(i["coding_notes"] for i in out["items"])


def test_help_exits_0() -> None:
    rc, out = run("--help")
    assert rc == 0
    assert "score INSTRUMENT" in out
