"""Property-based tests: any valid input gives a result within the instrument's range, or one
of the documented refusals — never anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from comeforward.risk import get, names
from comeforward.risk.base import Item
from comeforward.risk.errors import InconsistentItems, NotApplicable, NotScorable

REFUSALS = (NotScorable, NotApplicable, InconsistentItems)


def _value(item: Item) -> st.SearchStrategy[Any]:
    if item.kind == "bool":
        v: st.SearchStrategy[Any] = st.booleans()
    elif item.kind == "choice":
        v = st.sampled_from(item.choices)
    else:
        lo = int(item.minimum or 0)
        hi = int(item.maximum) if item.maximum is not None else 120
        v = st.integers(lo, hi)
        if item.kind == "number":
            v = v | st.floats(lo, hi, allow_nan=False)
    return st.none() | v


@st.composite
def instrument_and_items(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(names()))
    items = {}
    for it in get(name).items:
        if draw(st.booleans()) or it.required:
            items[it.key] = draw(_value(it))
    return name, items


@settings(max_examples=600, deadline=None)
@given(instrument_and_items())
def test_scores_stay_within_range(case: tuple[str, dict[str, Any]]) -> None:
    name, items = case
    inst = get(name)
    try:
        result = inst.score(items)
    except REFUSALS:
        return
    d = result.as_dict()
    assert d["instrument"] == name
    if inst.min_score is not None:
        if d["score"] is not None:
            assert inst.min_score <= d["score"] <= inst.max_score
        lo, hi = d["possible_scores"]["low"], d["possible_scores"]["high"]
        assert inst.min_score <= lo <= hi <= inst.max_score
        if d["score"] is not None:
            assert lo <= d["score"] <= hi
    if d["band"] is not None:
        assert d["band"] in inst.bands
        assert d["band"] in d["possible_bands"]
    if d["probability"] is not None:
        assert 0.0 <= d["probability"] <= 1.0
    assert [i["key"] for i in d["items"]] == [it.key for it in inst.items]
    assert set(d["missing"]) <= {it.key for it in inst.items}
    assert len(d["missing"]) <= (inst.max_missing if inst.max_missing is not None else 99)
    if not d["missing"]:
        assert d["possible_scores"] in (None, {"low": d["score"], "high": d["score"]})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=7, max_size=7))
def test_cport_monotonic_in_each_item(flags: list[bool]) -> None:
    inst = get("cport")
    keys = [it.key for it in inst.items if it.scored]
    base = inst.score(dict(zip(keys, flags, strict=True))).score
    for i, k in enumerate(keys):
        if not flags[i]:
            more = inst.score({**dict(zip(keys, flags, strict=True)), k: True}).score
            assert more == base + 1
