"""Impossible dates are refused with exit 2 and a stable code, never a crash (issue 11.8).

Year 9999 used to overflow the period arithmetic: ``INTERNAL_ERROR``, exit 1.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from comeforward.law import cli
from comeforward.law.errors import DateInFuture
from comeforward.law.parsing import facts_from_json

FACTS = {
    "offence": "CJA1988_S160",
    "offence_date": "2024-01-01",
    "offender_dob": "1980-01-01",
    "youngest_depicted_age": 10,
    "disposal": {"type": "simple_caution", "date": "2024-02-01"},
}


def _run(command: str, document: dict) -> tuple[int, dict]:
    out = io.StringIO()
    code = cli.main([command], stdin=io.StringIO(json.dumps(document)), stdout=out)
    return code, json.loads(out.getvalue())


def _with(path: str, value: str) -> dict:
    document = json.loads(json.dumps(FACTS))
    target = document
    *parents, leaf = path.split(".")
    for key in parents:
        target = target[key]
    target[leaf] = value
    return document


def test_the_base_facts_evaluate():
    code, answer = _run("evaluate", FACTS)
    assert code == 0 and answer["notifiable"] is True


@pytest.mark.parametrize("path", ["offence_date", "offender_dob", "disposal.date"])
@pytest.mark.parametrize("value", ["9999-12-31", "2200-01-01", "0001-01-01", "1899-12-31"])
def test_dates_no_case_can_have_are_refused(path, value):
    code, answer = _run("evaluate", _with(path, value))
    assert code == 2
    assert answer["error"]["code"] in {"DATE_OUT_OF_RANGE", "DATE_IN_FUTURE"}
    if answer["error"]["code"] == "DATE_OUT_OF_RANGE":
        assert answer["error"]["details"] == {
            "field": path,
            "value": value,
            "earliest": "1900-01-01",
            "latest": "2199-12-31",
        }


def test_year_9999_on_both_dates_is_out_of_range_not_a_crash():
    document = _with("offence_date", "9999-12-31")
    document["disposal"]["date"] = "9999-12-31"
    code, answer = _run("evaluate", document)
    assert (code, answer["error"]["code"]) == (2, "DATE_OUT_OF_RANGE")
    assert answer["error"]["details"]["field"] == "offence_date"


def test_the_edges_of_the_range_are_accepted():
    document = _with("offender_dob", "1900-01-01")
    assert _run("evaluate", document)[0] == 0
    request = {"relevant_date": "2199-12-01", "last_day": None, "as_of": "2199-12-31"}
    assert _run("deadlines", request)[0] == 0


def test_a_date_of_birth_in_the_future_is_refused():
    with pytest.raises(DateInFuture) as error:
        facts_from_json(_with("offender_dob", "2031-06-01"), today=date(2031, 5, 31))
    assert error.value.code == "DATE_IN_FUTURE"
    assert error.value.details == {
        "field": "offender_dob",
        "value": "2031-06-01",
        "today": "2031-05-31",
    }
    assert facts_from_json(_with("offender_dob", "2031-05-31"), today=date(2031, 5, 31))


def test_a_date_of_birth_in_the_future_is_exit_2_on_the_cli():
    code, answer = _run("evaluate", _with("offender_dob", "2150-01-01"))
    assert (code, answer["error"]["code"]) == (2, "DATE_IN_FUTURE")


def test_an_offence_after_the_disposal_is_exit_2():
    code, answer = _run("evaluate", _with("offence_date", "2024-05-01"))
    assert (code, answer["error"]["code"]) == (2, "INCONSISTENT_FACTS")


@pytest.mark.parametrize(
    "request_",
    [
        {"relevant_date": "9999-12-30", "last_day": None, "as_of": "9999-12-31"},
        {"relevant_date": "2024-01-01", "last_day": None, "as_of": "9999-12-31"},
        {"relevant_date": "2024-01-01", "last_day": "9999-01-01", "as_of": "2024-02-01"},
    ],
)
def test_deadlines_refuse_year_9999(request_):
    code, answer = _run("deadlines", request_)
    assert (code, answer["error"]["code"]) == (2, "DATE_OUT_OF_RANGE")


@pytest.mark.parametrize("path", ["offence_date", "disposal.date"])
def test_an_offence_or_disposal_after_today_is_refused(path):
    document = _with("offence_date", "2031-05-01")
    document["disposal"]["date"] = "2031-05-31"
    assert facts_from_json(document, today=date(2031, 5, 31))  # both on or before today
    target = _with(path, "2031-06-01")
    if path == "offence_date":
        target["disposal"]["date"] = "2031-06-01"
    with pytest.raises(DateInFuture) as error:
        facts_from_json(target, today=date(2031, 5, 31))
    assert error.value.code == "DATE_IN_FUTURE"
    assert error.value.details == {"field": path, "value": "2031-06-01", "today": "2031-05-31"}


@pytest.mark.parametrize("path", ["offence_date", "disposal.date"])
def test_an_offence_or_disposal_in_the_future_is_exit_2_on_the_cli(path):
    document = _with(path, "2150-01-01")
    document["disposal"]["date"] = "2150-01-01"
    code, answer = _run("evaluate", document)
    assert (code, answer["error"]["code"]) == (2, "DATE_IN_FUTURE")
    assert answer["error"]["details"]["field"] == path


def test_deadlines_refuse_a_relevant_date_after_as_of():
    request = {"relevant_date": "2025-03-02", "last_day": None, "as_of": "2025-03-01"}
    code, answer = _run("deadlines", request)
    assert (code, answer["error"]["code"]) == (2, "DATE_IN_FUTURE")
    assert answer["error"]["details"] == {
        "field": "relevant_date",
        "value": "2025-03-02",
        "today": "2025-03-01",
    }
    request["as_of"] = "2025-03-02"
    assert _run("deadlines", request)[0] == 0
