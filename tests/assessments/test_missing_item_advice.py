"""The assessment form's "leave 'Not known'" advice agrees with each instrument's own
missing-item limit in the risk engine (issue 20.5): the form accepts exactly what the engine
scores, and says so per instrument."""

from __future__ import annotations

import pytest

from comeforward.assessments.domain import INSTRUMENTS
from comeforward.assessments.forms import SEP, AssessmentForm, missing_item_advice
from comeforward.risk import definition, score
from comeforward.risk.errors import NotScorable


def _known(item):
    if item["type"] == "bool":
        return False
    if item["type"] == "choice":
        return item["choices"][0]
    return 0


def _post(name, values):
    """Form data: the judgement fields, this instrument's items as given, others unknown."""
    data = {
        "risk_level": "low",
        "judgement": "j",
        "recommendation": "divert",
        "treatment_pathway": "none",
        "clinical_narrative": "n",
    }
    for key, value in values.items():
        if value is None:
            data[f"{name}{SEP}{key}"] = "unknown" if key != "casic_total" else ""
        elif value is True or value is False:
            data[f"{name}{SEP}{key}"] = "yes" if value else "no"
        else:
            data[f"{name}{SEP}{key}"] = str(value)
    return data


def _engine_scores(name, values) -> bool:
    try:
        score(name, values)
    except NotScorable:
        return False
    return True


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_form_accepts_exactly_what_the_engine_scores(name):
    spec = definition(name)
    items = spec["items"]
    for unknown_count in range(len(items) + 1):
        values = {it["key"]: _known(it) for it in items}
        for it in items[:unknown_count]:
            values[it["key"]] = None
        if unknown_count == len(items):
            continue  # every item unknown: the instrument is left out, not scored
        form = AssessmentForm(_post(name, values))
        form.is_valid()
        form_ok = not any(key.startswith(f"{name}{SEP}") for key in form.errors)
        assert form_ok == _engine_scores(name, values), (name, unknown_count, form.errors)
        if not form_ok:
            assert missing_item_advice(spec) in str(form.errors)


def test_advice_names_each_instruments_limit():
    assert missing_item_advice(definition("cport")).startswith(
        "You may leave at most 1 of the 7 scored items “Not known”; with more, CPORT is not scored."
    )
    assert missing_item_advice(definition("casic")).startswith(
        "Answer every item: CASIC has no published rule for unknown items"
    )
    assert missing_item_advice(definition("osp-iic")).startswith(
        "Answer every item: OSP/IIC cannot be scored with any item “Not known”."
    )
    limitless = dict(definition("cport"), max_missing=None)
    assert "range of scores" in missing_item_advice(limitless)
