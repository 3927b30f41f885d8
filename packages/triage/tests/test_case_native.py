"""The CASE File nodes written in C (casewrite.c, issue 16 item 5) are the bytes the Python
template (report._case_file_node) gives, for every record shape; shapes the C code does not
write go to the Python path, with its results and its errors."""

from __future__ import annotations

import json

import pytest
from comeforward_triage import native
from comeforward_triage import report as report_mod
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(not native.AVAILABLE, reason="the native core is not built")

REPORT = {
    "files_sha256": "0" * 64,
    "tool": {"name": "comeforward-triage", "version": "0.1.0"},
    "exhibit": "JS/1",
    "examiner": 'DC "Smith" — "uco-action:result": []',
    "started_at": "2026-12-03T20:00:00Z",
    "finished_at": "2026-12-03T20:00:02Z",
    "source": {"kind": "directory", "path": "/evidence/é"},
}

hexish = st.text(alphabet="0123456789abcdefABCDEF", max_size=64)
record = st.fixed_dictionaries(
    {
        "path": st.text(max_size=40),
        "size": st.integers(min_value=-(2**63), max_value=2**64),
        "deleted": st.booleans(),
    },
    optional={
        "inode": st.none() | st.integers(min_value=-(2**63), max_value=2**64),
        "md5": st.none() | hexish,
        "sha1": st.none() | hexish,
        "sha256": st.none() | hexish | st.text(max_size=3),
    },
)


def _both(records: list, part_files: int) -> tuple[object, object]:
    def run() -> object:
        try:
            return report_mod.case_jsonld(REPORT, records, part_files)
        except Exception as exc:  # noqa: BLE001 - compared: the same error either way
            return type(exc)

    fast = run()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(native, "case_files", lambda *a: None)
        slow = run()
    return fast, slow


@settings(max_examples=300, deadline=None)
@given(records=st.lists(record, max_size=6), part_files=st.integers(1, 4))
def test_native_case_nodes_equal_the_python_template(records, part_files) -> None:
    fast, slow = _both(records, part_files)
    assert fast == slow


def test_the_native_path_is_taken_and_valid_json(monkeypatch) -> None:
    """Ordinary records are written by the C code (not silently by the fallback), and each
    part is one JSON document whose action lists every file once."""
    records = [
        {"path": f'd/f{i}\n"é😀', "size": i, "inode": i, "deleted": False, "md5": "ab" * 8}
        for i in range(5)
    ]
    assert native.case_files(b"\0" * 16, records, 0, 5) is not None
    calls = []
    real = native.case_files
    monkeypatch.setattr(native, "case_files", lambda *a: calls.append(a) or real(*a))
    (part,) = report_mod.case_jsonld(REPORT, records)
    assert calls
    graph = json.loads(part)["@graph"]
    action = next(n for n in graph if n["@type"] == "case-investigation:InvestigativeAction")
    assert len(action["uco-action:result"]) == 5
    assert action["uco-action:performer"]["@id"].startswith("kb:examiner-")
    monkeypatch.undo()
    assert part == _both(records, 100)[1][0]


@pytest.mark.parametrize(
    "bad",
    [
        {"path": "a\udcff", "size": 1, "deleted": False},  # a lone surrogate
        {"path": "a", "size": True, "deleted": False},
        {"path": "a", "size": 1, "deleted": 0},
        {"path": "a", "size": 1, "inode": 2**70, "deleted": False},
        {"path": "a", "size": 1, "deleted": False, "md5": "é"},
        {"path": "a", "deleted": False},
        ["not", "a", "dict"],
    ],
)
def test_shapes_the_c_code_does_not_write_go_to_python(bad) -> None:
    assert native.case_files(b"\0" * 16, [bad], 0, 1) is None
    fast, slow = _both([bad], 10)
    assert fast == slow


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="namespace"):
        native.core().case_files(b"short", [], 0, 0)
    with pytest.raises(ValueError):
        native.core().case_files(b"\0" * 16, [], 0, 1)
