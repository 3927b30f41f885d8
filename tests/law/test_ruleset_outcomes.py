"""Rule set versioning, sign-off flags, outcome codes, and the package's import boundary."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path

import pytest

from comeforward.law import (
    RULESET,
    DisposalType,
    consequences,
    evaluate,
    outcome_starts_notification,
    ruleset_for,
)
from comeforward.law.errors import UnknownRuleSet
from comeforward.law.ruleset import Setting

from .factories import make_facts

LAW = Path(__file__).resolve().parents[2] / "src" / "comeforward" / "law"


def test_ruleset_version_and_effective_date():
    assert RULESET.version == "2026.1"
    assert RULESET.effective_from == date(2012, 8, 13)
    assert ruleset_for(date(2030, 1, 1)) is RULESET
    assert ruleset_for(date(2012, 8, 13)) is RULESET
    assert ruleset_for(version="2026.1") is RULESET
    with pytest.raises(UnknownRuleSet):
        ruleset_for(date(2012, 8, 12))
    with pytest.raises(UnknownRuleSet):
        ruleset_for(version="2025.9")


def test_every_setting_cites_a_source_and_flags_match_confidence():
    settings = RULESET.settings()
    assert len(settings) >= 40
    for key, setting in settings.items():
        assert setting.source and setting.text, key
        assert setting.needs_legal_signoff is (setting.confidence in ("M", "D")), key
    pending = RULESET.pending_signoff()
    for key in (
        "missing_corresponding_day",
        "leap_day_birthday",
        "leap_day_deadline",
        "travel_late_known_hours",
        "whole_day_disregard",
        "outcome_22_notifiable",
    ):
        assert key in pending
    for key in ("period_caution_years", "initial_notification_days", "images_under_age"):
        assert key not in pending


def test_a_new_ruleset_changes_the_answer():
    three_year = dataclasses.replace(
        RULESET,
        version="test.1",
        period_caution_years=Setting(3, "S", "test", "test"),
        missing_corresponding_day=Setting("last_day_of_month", "D", "test", "test"),
    )
    assert evaluate(make_facts(), three_year).last_day == date(2028, 3, 11)
    leap = make_facts(offence_date=date(2024, 1, 1), disposal_date=date(2024, 2, 29))
    assert evaluate(leap).last_day == date(2026, 2, 28)
    assert evaluate(leap, three_year).last_day == date(2027, 2, 27)


@pytest.mark.parametrize(
    ("disposal", "codes", "starts"),
    [
        (DisposalType.SIMPLE_CAUTION, ("3",), "if_schedule_3_met"),
        (DisposalType.CONDITIONAL_CAUTION, ("3",), "if_schedule_3_met"),
        (DisposalType.YOUTH_CAUTION, ("2",), "if_schedule_3_met"),
        (DisposalType.CONVICTION, ("1",), "if_schedule_3_met"),
        (DisposalType.OUTCOME_22, ("22",), "no"),
        (DisposalType.NFA, ("10", "15", "16", "18"), "no"),
    ],
)
def test_outcome_codes(disposal, codes, starts):
    outcome = consequences(disposal)
    assert outcome.outcome_codes == codes
    assert outcome.starts_notification == starts


@pytest.mark.parametrize(
    ("code", "starts"),
    [
        ("22", "no"),
        ("3", "if_schedule_3_met"),
        ("2", "if_schedule_3_met"),
        ("8", "no"),
        ("21", "no"),
    ],
)
def test_outcome_starts_notification(code, starts):
    assert outcome_starts_notification(code) == starts


def test_law_package_imports_only_stdlib_and_comeforward_errors():
    allowed_prefixes = ("comeforward.law", "comeforward.errors", "__future__")
    stdlib = {
        "calendar",
        "collections",
        "dataclasses",
        "datetime",
        "enum",
        "fractions",
        "json",
        "math",
        "os",
        "re",
        "sys",
        "traceback",
        "typing",
    }
    for path in LAW.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                ok = name.startswith(allowed_prefixes) or name.split(".")[0] in stdlib
                assert ok, f"{path.name} imports {name}"
