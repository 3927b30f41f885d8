"""CLI contract (INTERFACES.md §1-§2 and "Errors") through real subprocesses.

Exit 0 with the answer; exit 2 with ``{"error": {"code", "message", "details"}}`` for input
the command cannot use; never a traceback.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from comeforward.law.cli import main

from .factories import evaluate_json

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "comeforward"


def run(args: list[str], stdin: str | bytes) -> tuple[int, Any, str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [str(SCRIPT), "law", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    out = proc.stdout.decode()
    assert "Traceback" not in out and "Traceback" not in proc.stderr.decode()
    return proc.returncode, json.loads(out) if out.strip().startswith("{") else out, out


def test_readme_command_evaluate_from_file(tmp_path):
    """The README's form, ``./comeforward law evaluate``: finds the uv the set-up installed."""
    doc = tmp_path / "in.json"
    doc.write_text(json.dumps(evaluate_json()))
    with doc.open("rb") as handle:
        proc = subprocess.run(
            [str(ROOT / "comeforward"), "law", "evaluate"],
            stdin=handle,
            capture_output=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert {
        k: data[k]
        for k in (
            "notifiable",
            "relevant_date",
            "last_day",
            "initial_notification_due",
            "review_eligible_from",
        )
    } == {
        "notifiable": True,
        "relevant_date": "2025-03-12",
        "last_day": "2027-03-11",
        "initial_notification_due": "2025-03-14",
        "review_eligible_from": None,
    }
    assert data["period"]["indefinite"] is False
    assert (data["period"]["years"], data["period"]["months"]) == (2, 0)


def test_evaluate_unknown_depicted_age():
    code, data, _ = run(["evaluate"], json.dumps(evaluate_json(youngest_depicted_age=None)))
    assert code == 0
    assert data["notifiable"] is None
    assert data["missing"] == ["youngest_depicted_age"]
    assert data["period"] is None


def test_evaluate_reports_assumptions_for_leap_day():
    doc = evaluate_json(
        offence_date="2024-01-10", disposal={"type": "simple_caution", "date": "2024-02-29"}
    )
    code, data, _ = run(["evaluate"], json.dumps(doc))
    assert code == 0
    assert data["last_day"] == "2026-02-28"
    [assumption] = data["assumptions"]
    assert assumption["key"] == "missing_corresponding_day"
    assert assumption["confidence"] == "D" and assumption["needs_legal_signoff"] is True


def test_deadlines_interfaces_example():
    doc = {
        "relevant_date": "2025-03-12",
        "last_day": "2027-03-11",
        "as_of": "2026-05-01",
        "no_fixed_abode": False,
        "notifications": [
            {"type": "initial", "date": "2025-03-13"},
            {"type": "change", "date": "2025-09-20", "matters": ["home_address"]},
            {"type": "new_matter", "date": "2025-10-02", "matters": ["bank_account"]},
            {"type": "periodic", "date": "2026-09-19"},
            {"type": "travel", "date": "2026-04-01", "departure": "2026-04-05"},
        ],
        "events": [
            {"type": "change", "matter": "home_address", "date": "2026-04-20"},
            {"type": "travel", "departure": "2026-08-20", "known_from": "2026-07-01"},
        ],
        "disregarded_periods": [{"from": "2025-10-01", "to": "2025-10-31", "reason": "custody"}],
    }
    code, data, _ = run(["deadlines"], json.dumps(doc))
    assert code == 0
    assert data["initial_notification_due"] == "2025-03-14"
    assert data["next_periodic_due"] == "2026-09-20"
    assert [{k: e[k] for k in ("event", "type", "due")} for e in data["event_deadlines"]] == [
        {"event": 0, "type": "change", "due": "2026-04-22"},
        {"event": 1, "type": "travel", "due": "2026-08-13"},
    ]
    assert data["overdue"] == [{"type": "change", "due": "2026-04-22", "event": 0}]
    assert len(data["explanations"]) == 4


def test_ruleset_command_lists_pending_signoff():
    code, data, _ = run(["ruleset"], "")
    assert code == 0
    assert data["version"] == "2026.1"
    assert "missing_corresponding_day" in data["pending_signoff"]
    assert "period_caution_years" not in data["pending_signoff"]
    assert data["settings"]["period_caution_years"]["value"] == 2


def disposal(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"type": "simple_caution", "date": "2025-03-12", "sentence": None}
    base.update(kw)
    return base


EVALUATE_ERRORS = [
    ("{bad json", "INVALID_JSON", None),
    ("", "INVALID_JSON", None),
    ('{"a": NaN}', "INVALID_JSON", None),
    (b"\xff\xfe", "INVALID_JSON", None),
    ("[]", "WRONG_TYPE", "$"),
    (evaluate_json(offence="SOA2003_S1"), "UNKNOWN_OFFENCE", "offence"),
    (evaluate_json(offence=7), "WRONG_TYPE", "offence"),
    (evaluate_json(jurisdiction="scotland"), "UNSUPPORTED_JURISDICTION", "jurisdiction"),
    (evaluate_json(offence_date="2025-02-30"), "INVALID_DATE", "offence_date"),
    (evaluate_json(offence_date="2025-13-01"), "INVALID_DATE", "offence_date"),
    (evaluate_json(offence_date="10/01/2025"), "INVALID_DATE", "offence_date"),
    (evaluate_json(offence_date=20250110), "WRONG_TYPE", "offence_date"),
    (evaluate_json(offender_dob="2023-02-29"), "INVALID_DATE", "offender_dob"),
    (evaluate_json(youngest_depicted_age=-1), "NEGATIVE_VALUE", "youngest_depicted_age"),
    (evaluate_json(youngest_depicted_age="12"), "WRONG_TYPE", "youngest_depicted_age"),
    (evaluate_json(youngest_depicted_age=True), "WRONG_TYPE", "youngest_depicted_age"),
    (evaluate_json(youngest_depicted_age=12.5), "WRONG_TYPE", "youngest_depicted_age"),
    (evaluate_json(disposal=disposal(type="reprimand")), "UNKNOWN_DISPOSAL_TYPE", "disposal.type"),
    (evaluate_json(disposal="caution"), "WRONG_TYPE", "disposal"),
    (
        evaluate_json(
            disposal=disposal(type="conviction", sentence={"kind": "imprisonment", "months": -2})
        ),
        "NEGATIVE_VALUE",
        "disposal.sentence.months",
    ),
    (
        evaluate_json(
            disposal=disposal(type="conviction", sentence={"kind": "birching", "months": 2})
        ),
        "UNKNOWN_SENTENCE_KIND",
        "disposal.sentence.kind",
    ),
    (
        evaluate_json(
            disposal=disposal(type="conviction", sentence={"kind": "imprisonment", "months": "six"})
        ),
        "WRONG_TYPE",
        "disposal.sentence.months",
    ),
    (
        evaluate_json(disposal=disposal(type="conviction", sentence=None)),
        "MISSING_FIELD",
        "disposal.sentence",
    ),
    (evaluate_json(disposal=disposal(date="2024-01-01")), "INCONSISTENT_FACTS", None),
]


@pytest.mark.parametrize(("stdin", "code", "field"), EVALUATE_ERRORS)
def test_evaluate_errors(stdin, code, field):
    payload = stdin if isinstance(stdin, str | bytes) else json.dumps(stdin)
    rc, data, raw = run(["evaluate"], payload)
    assert rc == 2, raw
    assert set(data) == {"error"}
    assert set(data["error"]) == {"code", "message", "details"}
    assert data["error"]["code"] == code
    assert data["error"]["message"]
    if field is not None:
        assert data["error"]["details"]["field"] == field


def test_evaluate_missing_field():
    doc = evaluate_json()
    del doc["offender_dob"]
    rc, data, _ = run(["evaluate"], json.dumps(doc))
    assert rc == 2
    assert data["error"] == {
        "code": "MISSING_FIELD",
        "message": "offender_dob is required.",
        "details": {"field": "offender_dob"},
    }


DEADLINE_BASE = {"relevant_date": "2025-03-12", "last_day": "2027-03-11", "as_of": "2026-05-01"}

DEADLINE_ERRORS = [
    ({**DEADLINE_BASE, "as_of": "2026-02-29"}, "INVALID_DATE", "as_of"),
    ({**DEADLINE_BASE, "last_day": "2024-01-01"}, "INCONSISTENT_FACTS", "last_day"),
    ({**DEADLINE_BASE, "no_fixed_abode": "no"}, "WRONG_TYPE", "no_fixed_abode"),
    ({**DEADLINE_BASE, "notifications": {}}, "WRONG_TYPE", "notifications"),
    (
        {**DEADLINE_BASE, "notifications": [{"type": "annual", "date": "2025-03-13"}]},
        "UNKNOWN_NOTIFICATION_TYPE",
        "notifications[0].type",
    ),
    (
        {**DEADLINE_BASE, "notifications": [{"type": "change", "date": "2025-03-13"}]},
        "MISSING_FIELD",
        "notifications[0].matters",
    ),
    (
        {
            **DEADLINE_BASE,
            "notifications": [{"type": "change", "date": "2025-03-13", "matters": ["shoe_size"]}],
        },
        "UNKNOWN_MATTER",
        "notifications[0].matters[0]",
    ),
    (
        {**DEADLINE_BASE, "events": [{"type": "party", "date": "2025-03-13"}]},
        "UNKNOWN_EVENT_TYPE",
        "events[0].type",
    ),
    (
        {
            **DEADLINE_BASE,
            "events": [{"type": "travel", "departure": "2026-01-01", "known_from": "2026-02-01"}],
        },
        "INCONSISTENT_FACTS",
        "events[0].known_from",
    ),
    (
        {
            **DEADLINE_BASE,
            "events": [{"type": "travel", "departure": "2026-01-01", "departure_time": "25:00"}],
        },
        "INVALID_VALUE",
        "events[0].departure_time",
    ),
    (
        {**DEADLINE_BASE, "disregarded_periods": [{"from": "2025-10-31", "to": "2025-10-01"}]},
        "INCONSISTENT_FACTS",
        "disregarded_periods[0]",
    ),
    (
        {
            **DEADLINE_BASE,
            "disregarded_periods": [
                {"from": "2025-10-01", "to": "2025-10-31", "reason": "holiday"}
            ],
        },
        "UNKNOWN_VALUE",
        "disregarded_periods[0].reason",
    ),
    (
        {
            **DEADLINE_BASE,
            "as_of": "2010-01-01",
            "relevant_date": "2009-01-01",
            "last_day": "2011-01-01",
        },
        "UNKNOWN_RULESET",
        None,
    ),
]


@pytest.mark.parametrize(("doc", "code", "field"), DEADLINE_ERRORS)
def test_deadlines_errors(doc, code, field):
    rc, data, raw = run(["deadlines"], json.dumps(doc))
    assert rc == 2, raw
    assert data["error"]["code"] == code
    if field is not None:
        assert data["error"]["details"]["field"] == field


def test_unknown_subcommand_and_ruleset_version():
    rc, data, _ = run(["judge"], "{}")
    assert (rc, data["error"]["code"]) == (2, "UNKNOWN_COMMAND")
    rc, data, _ = run(["evaluate", "--ruleset", "1999.1"], json.dumps(evaluate_json()))
    assert (rc, data["error"]["code"]) == (2, "UNKNOWN_RULESET")
    rc, data, _ = run(["evaluate", "--ruleset", "2026.1"], json.dumps(evaluate_json()))
    assert (rc, data["ruleset"]["version"]) == (0, "2026.1")


def test_help_exits_zero():
    rc, out, _ = run(["--help"], "")
    assert rc == 0 and "evaluate" in out


def test_bug_gives_exit_1_and_json_not_traceback(monkeypatch, capsys):
    from comeforward.law import cli

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "evaluate", broken)
    monkeypatch.delenv("COMEFORWARD_DEBUG", raising=False)
    out = io.StringIO()
    rc = cli.main(["evaluate"], stdin=io.StringIO(json.dumps(evaluate_json())), stdout=out)
    assert rc == 1
    assert json.loads(out.getvalue())["error"]["code"] == "INTERNAL_ERROR"
    assert "Traceback" not in capsys.readouterr().err


def test_deadlines_travel_return_and_short_notice_through_the_cli():
    doc = {
        "relevant_date": "2025-03-12",
        "last_day": "2027-03-11",
        "as_of": "2026-09-01",
        "notifications": [
            {"type": "initial", "date": "2025-03-13"},
            {"type": "periodic", "date": "2026-03-10"},
            {"type": "travel", "date": "2026-08-18", "departure": "2026-08-20"},
            {"type": "return", "date": "2026-08-28", "departure": "2026-08-20"},
        ],
        "events": [
            {
                "type": "travel",
                "departure": "2026-08-20",
                "known_from": "2026-08-17",
                "return": "2026-08-27",
                "return_notified_in_advance": False,
            }
        ],
    }
    out = io.StringIO()
    assert main(["deadlines"], io.StringIO(json.dumps(doc)), out) == 0
    answer = json.loads(out.getvalue())
    entry = answer["event_deadlines"][0]
    assert (entry["due"], entry["rule"], entry["status"]) == ("2026-08-19", "twelve_hours", "met")
    assert (entry["return_due"], entry["return_status"]) == ("2026-08-29", "met")
    assert answer["overdue"] == [] and answer["late"] == []


@pytest.mark.parametrize(
    ("event", "code", "field"),
    [
        ({"return": "2026-08-19"}, "INCONSISTENT_FACTS", "events[0].return"),
        ({"return": "2026-13-01"}, "INVALID_DATE", "events[0].return"),
        (
            {"return_notified_in_advance": "yes"},
            "WRONG_TYPE",
            "events[0].return_notified_in_advance",
        ),
    ],
)
def test_deadlines_travel_return_errors(event, code, field):
    doc = {
        "relevant_date": "2025-03-12",
        "last_day": "2027-03-11",
        "as_of": "2026-09-01",
        "events": [{"type": "travel", "departure": "2026-08-20", **event}],
    }
    out = io.StringIO()
    assert main(["deadlines"], io.StringIO(json.dumps(doc)), out) == 2
    error = json.loads(out.getvalue())["error"]
    assert (error["code"], error["details"]["field"]) == (code, field)


@pytest.mark.parametrize(
    "reason", ["custody", "remand", "imprisonment", "service_detention", "hospital", "outside_uk"]
)
def test_every_s83_6_reason_disregards_the_same_days(reason):
    doc = {
        "relevant_date": "2025-03-12",
        "last_day": "2027-03-11",
        "as_of": "2025-03-20",
        "disregarded_periods": [{"from": "2025-03-13", "to": "2025-03-16", "reason": reason}],
    }
    out = io.StringIO()
    assert main(["deadlines"], io.StringIO(json.dumps(doc)), out) == 0
    assert json.loads(out.getvalue())["initial_notification_due"] == "2025-03-18"


def test_an_unknown_disregard_reason_is_refused():
    doc = {
        "relevant_date": "2025-03-12",
        "last_day": "2027-03-11",
        "as_of": "2025-03-20",
        "disregarded_periods": [{"from": "2025-03-13", "to": "2025-03-16", "reason": "holiday"}],
    }
    out = io.StringIO()
    assert main(["deadlines"], io.StringIO(json.dumps(doc)), out) == 2
    error = json.loads(out.getvalue())["error"]
    assert error["details"]["field"] == "disregarded_periods[0].reason"
