"""The report lines written in C (reportwrite.c, issue 16 item 5) — CASE File nodes and DFXML
fileobjects — are the bytes the Python templates (report._case_file_node, the loop of
report.dfxml) give, for every record shape; shapes the C code does not write go to the Python
path, with its results and its errors."""

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


def _fast_and_slow(make, native_name: str) -> tuple[object, object]:
    """*make()* with the native function, then with *native_name* off (the Python path):
    each result, or the type of the error it raised."""

    def run() -> object:
        try:
            return make()
        except Exception as exc:  # noqa: BLE001 - compared: the same error either way
            return type(exc)

    fast = run()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(native, native_name, lambda *a: None)
        slow = run()
    return fast, slow


def _both(records: list, part_files: int) -> tuple[object, object]:
    return _fast_and_slow(lambda: report_mod.case_jsonld(REPORT, records, part_files), "case_files")


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


dfxml_record = st.fixed_dictionaries(
    {"path": st.text(max_size=30), "size": st.integers(min_value=-(2**63), max_value=2**63 - 1)},
    optional={
        "deleted": st.none() | st.booleans(),
        "inode": st.none() | st.integers(min_value=-(2**63), max_value=2**64),
        "error": st.none() | st.text(max_size=20),
        "mtime": st.none() | st.text(max_size=20),
        "md5": st.none() | hexish | st.text(max_size=4),
        "sha1": st.none() | hexish,
        "sha256": st.none() | hexish,
    },
)


def _both_dfxml(records: list) -> tuple[object, object]:
    return _fast_and_slow(lambda: report_mod.dfxml(REPORT, records), "dfxml_files")


@settings(max_examples=300, deadline=None)
@given(records=st.lists(dfxml_record, max_size=6))
def test_native_dfxml_equals_the_python_loop(records) -> None:
    fast, slow = _both_dfxml(records)
    assert fast == slow


def test_dfxml_text_escapes_as_the_python_code() -> None:
    """&, <, > escaped; control characters XML 1.0 cannot carry (and U+FFFE/U+FFFF) as \\xNN;
    tab, LF, CR and other characters kept — from C, not silently from the fallback."""
    rec = {
        "path": "a&<>\x01\x7f\ufffe\uffff\ufffd\t é",
        "size": 3,
        "error": "READ_ERROR: x<y\x0b",
        "deleted": True,
        "inode": 4,
        "md5": "ab",
    }
    body = native.dfxml_files([rec])
    assert body is not None
    name = b"a&amp;&lt;&gt;\\x01\x7f\\xfffe\\xffff\xef\xbf\xbd\t \xc3\xa9"
    assert b"<filename>" + name + b"</filename>" in body
    assert b"<error>READ_ERROR: x&lt;y\\x0b</error>" in body and b"<alloc>0</alloc>" in body
    assert _both_dfxml([rec]) == (report_mod.dfxml(REPORT, [rec]),) * 2


@pytest.mark.parametrize(
    "bad",
    [
        {"path": "a\udcff", "size": 1},
        {"path": "a", "size": None},
        {"path": "a", "size": 1, "deleted": 1},
        {"path": "a", "size": 1, "error": ValueError("x")},
        {"path": "a", "size": 1, "inode": 2**70},
        {"size": 1},
    ],
)
def test_dfxml_shapes_the_c_code_does_not_write_go_to_python(bad) -> None:
    assert native.dfxml_files([bad]) is None
    fast, slow = _both_dfxml([bad])
    assert fast == slow
