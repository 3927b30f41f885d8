"""An impossible age is refused with exit 2 and a stable code, never scored (issue 11.8)."""

from __future__ import annotations

import io
import json

import pytest

from comeforward.risk import cli, registry
from comeforward.risk.base import MAX_AGE_YEARS


def _score(instrument: str, items: dict) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        code = cli.run(["score", instrument], io.StringIO(json.dumps({"items": items})), out)
    except cli.DomainError as error:
        return 2, error.as_dict()
    return code, json.loads(out.getvalue())


AGE_ITEMS = [
    ("static99r", "age_at_release", {"has_category_a_offence": True}),
    ("osp-dc", "age_at_start_of_followup", {}),
    ("osp-dc", "age_at_last_sexual_sanction", {}),
    ("rm2000s", "age", {}),
]


@pytest.mark.parametrize(("instrument", "key", "other"), AGE_ITEMS)
@pytest.mark.parametrize("age", [9999, 121, 10**12])
def test_ages_no_one_can_have_are_refused(instrument, key, other, age):
    code, answer = _score(instrument, {key: age, **other})
    assert code == 2
    assert answer["error"]["code"] == "VALUE_OUT_OF_RANGE"
    assert answer["error"]["details"]["item"] == key
    assert answer["error"]["details"]["maximum"] == MAX_AGE_YEARS


@pytest.mark.parametrize(("instrument", "key", "other"), AGE_ITEMS)
def test_every_age_item_says_its_maximum(instrument, key, other):
    items = {i["key"]: i for i in registry.definition(instrument)["items"]}
    assert items[key]["maximum"] == MAX_AGE_YEARS


def test_the_cli_main_exits_2(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"items": {"age": 9999}}'))
    assert cli.main(["score", "rm2000s"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "VALUE_OUT_OF_RANGE"
