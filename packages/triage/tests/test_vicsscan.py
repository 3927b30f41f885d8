"""The native VICS record scanner (``vicsscan.c``, issue 16 item 6) against the Python path.

Every document is compiled twice — with the scanner and with it switched off — and the two sets
must be identical (entries, categories, flags, counts, skipped records), or both compiles must
fail with the same error code, message and details. The scanner stops at anything it does not
convert exactly (the Python path takes over from that record), so the cases below include such
records; blocks as small as one byte check that records cut between reads resume correctly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from comeforward_triage import native
from comeforward_triage.errors import TriageError
from comeforward_triage.hashsets import compile_hashset, open_hashset
from comeforward_triage.hashsets.formats import vics
from hashset_fixtures import md5, pdq, sha1, sha256, vics2_hashset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(not native.AVAILABLE, reason="native core not built")

CATEGORY_MAP = {
    "0": "UNCATEGORISED",
    "1": "A",
    "2": "B",
    "3": "C",
    "-5": "C",
    "null": "UNCATEGORISED",
    "true": "A",
    "false": "B",
    "x y": "C",
}


def _compile(src: Path, out: Path, cmap: Path) -> tuple[str, Any]:
    try:
        info = compile_hashset(src, "vics", out=out, category_map=cmap)
    except TriageError as exc:
        return "error", (exc.code, str(exc), exc.details)
    for key in ("path", "sha256", "created"):
        info.pop(key, None)
    with open_hashset(out) as rs:
        rs.verify()
    content = out.read_bytes()[56:88]  # header: sha256 of the data region (fileformat.py)
    return "set", (info, content)


def both(tmp_path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch, block: int | None = None):
    """(native result, Python result) for one document; asserts the native path ran."""
    src = tmp_path / "in.json"
    src.write_bytes(data)
    cmap = tmp_path / "map.json"
    cmap.write_text(json.dumps(CATEGORY_MAP))
    calls: list[int] = []
    real = native.core().vics_scan

    def spy(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    with monkeypatch.context() as m:
        m.setattr(vics, "native", _Native(spy))
        if block is not None:
            m.setattr(vics, "NATIVE_BLOCK", block)
        fast = _compile(src, tmp_path / "fast.cfhs", cmap)
    if data[:1] in (b"{", b"[") and data.isascii():  # else the head check may refuse first
        assert calls, "the native scanner did not run"
    with monkeypatch.context() as m:
        m.setattr(vics.native, "AVAILABLE", False)
        slow = _compile(src, tmp_path / "slow.cfhs", cmap)
    return fast, slow


class _Native:
    """``comeforward_triage.native`` with a spy on vics_scan."""

    AVAILABLE = True

    def __init__(self, scan: Any):
        self._scan = scan

    def core(self) -> Any:
        module = native.core()
        scan = self._scan

        class Core:
            VICS_STATE_SIZE = module.VICS_STATE_SIZE
            vics_scan = staticmethod(scan)

        return Core


def _records(n: int) -> list[dict[str, Any]]:
    return [
        {
            "MediaID": i,
            "Category": i % 4,
            "MD5": md5(i).upper(),
            "SHA1": sha1(i),
            "IsPrecategorized": i % 2 == 0,
            "Series": ["", "Name", True, None][i % 4],
            "VictimIdentified": ["true", "0", None, 1][i % 4],
            "MediaFiles": [{"FileName": f"ü{i}.jpg", "MediaSize": i * 1000, "MD5": md5(i)}],
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("block", [None, 1, 7, 300])
def test_same_set_across_block_sizes(tmp_path: Path, monkeypatch, block) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(vics2_hashset(_records(60)), indent=1).encode()
    fast, slow = both(tmp_path, data, monkeypatch, block)
    assert fast == slow and fast[0] == "set"
    assert fast[1][0]["entries"]["md5"] == 60 and fast[1][0]["source"]["records"] == 60


EDGE_DOCS: list[Any] = [
    {"d": {"results": [{"SHA1": sha1(1), "Category": "03", "Extra": {"value": [1.5, None]}}]}},
    [{"MD5": md5(2)}, [{"SHA256": sha256(2)}], 3, "x", {"pdq": pdq(2), "MediaID": 1}],
    {"MD5": md5(3), "value": [{"md5": md5(4), "category": " +2 "}], "Category": "1"},
    {"Cases": [{"CaseNumber": "7", "value": {"Media": [{"MD5": md5(5), "big": 10**30}]}}]},
    {"value": [{"MD5": "  ", "SHA1": None, "MediaID": 9}, {"Category": 2}]},  # no hash
    {
        "value": [
            {
                "MD5": md5(6),
                "AlternativeHashes": [
                    {"HashName": "SHA-256", "HashValue": sha256(6)},
                    {"hashvalue": pdq(6), "hashname": "P_D_Q"},
                    {"HashName": "PhotoDNA", "HashValue": "zz"},
                    {"HashName": 5},
                    "x",
                    {"HashName": "md5", "HashValue": md5(6)},
                ],
            }
        ]
    },
    {
        "value": [
            {"MD5": md5(7), "Category": None, "Series": "series-name", "VictimIdentified": "N"}
        ]
    },
    {"value": [{"MD5": md5(8), "Category": -0, "Series": 0, "VictimIdentified": "yes"}]},
    {"value": [{"MD5": md5(9), "Category": "-5"}, {"MD5": md5(9), "Category": 1}]},  # duplicates
    {"value": [{"MD5": md5(10), "Category": "x y"}, {"MD5": md5(11), "Category": "NONE"}]},
    {"value": [{"MD5": md5(12), "Category": True}, {"MD5": md5(13), "Category": False}]},
    # shapes the scanner leaves to the Python path (after converting the records before them)
    {"value": [{"MD5": md5(14)}, {"MD5": md5(15), "Category": 2.0}]},
    {"value": [{"MD5": md5(16)}, {"MD5": md5(17), "md5": md5(18)}]},
    {"value": [{"MD5": md5(19)}, {"MD5": md5(20), "Category": "\u00e9"}]},
    {"value": [{"MD5": md5(21)}, {"M\u0044\u0035": md5(22)}]},
    {"value": [{"MD5": md5(23)}, {"MD5": "ab " + md5(23)[3:]}]},
    {"value": [{"MD5": md5(24), "Category": 99}]},  # unmapped category
    {"value": [{"MD5": md5(25)}, {"MD5": 12345}]},  # not hex: the Python message
    {"value": [{"MD5": md5(26)}, {"SHA1": md5(26)}]},  # wrong width
    {"value": [{"MD5": md5(27), "Category": 10**30}]},
    {"value": [{"MD5": md5(28), "AlternativeHashes": "none"}]},
    {"value": [{"MD5": md5(28), "AlternativeHashes": 1, "MediaFiles": True}]},  # not lists
    {"value": [{"MD5": md5(29), "MediaFiles": [{"md5": md5(30), "MD5": md5(31)}]}]},
]


@pytest.mark.parametrize("doc", EDGE_DOCS)
@pytest.mark.parametrize("block", [None, 5])
def test_edge_records_match_the_python_path(tmp_path: Path, monkeypatch, doc, block) -> None:
    fast, slow = both(tmp_path, json.dumps(doc, indent=1).encode(), monkeypatch, block)
    assert fast == slow


RAW_DOCS = [
    b'{"value": [{"MD5": "' + md5(1).encode() + b'"}]',  # cut short
    b'{"value": [{"MD5": "' + md5(1).encode() + b'"}]} x',  # trailing data
    b"7",
    b"",
    b'{"value": [{"MD5": "\xff"}]}',  # not UTF-8
    b'{"value": [{"MD5": "' + md5(1).encode() + b'", "n": NaN}]}',
    b'{"value": [{"MD5": "' + md5(1).encode() + b'", "n": 1e999}]}',
    b'{"value": [{"MD5": "' + md5(1).encode() + b'", "n": 01}]}',
    b'{"value": [{"MD5": "' + md5(1).encode() + b'",}]}',
    b'{"value": [{"MD5": "' + md5(1).encode() + b'", "s": "a\\ud800b"}]}',
    b'{"value": [{"MD5": "' + md5(1).encode() + b'", "s": "tab\there"}]}',
    b'{"value": [{"MD5": "' + md5(1).encode() + b'", "s": "\xc3\xa9\xe2\x82\xac"}]}  \n',
    b'[{"MD5": "' + md5(1).encode() + b'"}] [',
]


@pytest.mark.parametrize("data", RAW_DOCS)
def test_raw_documents_match_the_python_path(tmp_path: Path, monkeypatch, data: bytes) -> None:
    fast, slow = both(tmp_path, data, monkeypatch)
    assert fast == slow


_hex = st.sampled_from([md5(1), md5(2), md5(1).upper(), " " + md5(3), sha1(1), sha256(1), ""])
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["", " 1 ", "+2", "-0", "03", "null", "None", "y", "F", "x y", "true"]),
)
_key = st.sampled_from(
    [
        "MD5",
        "md5",
        "SHA1",
        "Sha256",
        "PDQ",
        "Category",
        "Series",
        "VictimIdentified",
        "MediaID",
        "CaseID",
        "Other",
        "Media",
        "AlternativeHashes",
        "MediaFiles",
    ]
)
_value = st.one_of(
    _hex,
    _scalar,
    st.lists(
        st.fixed_dictionaries(
            {"HashName": st.sampled_from(["MD5", "SHA-1", "pdq", "x"]), "HashValue": _hex}
        ),
        max_size=2,
    ),
    st.lists(
        st.dictionaries(st.sampled_from(["MD5", "sha1", "Name"]), _hex, max_size=2), max_size=2
    ),
)
_record = st.dictionaries(_key, _value, max_size=6)
_doc = st.recursive(
    st.lists(_record, max_size=4),
    lambda inner: st.dictionaries(st.sampled_from(["value", "Media", "d", "x"]), inner, max_size=2),
    max_leaves=4,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(doc=_doc, indent=st.sampled_from([None, 1]), block=st.sampled_from([None, 3, 64]))
def test_generated_documents_match_the_python_path(
    tmp_path_factory, monkeypatch, doc, indent, block
) -> None:
    tmp = tmp_path_factory.mktemp("gen")
    fast, slow = both(tmp, json.dumps(doc, indent=indent).encode(), monkeypatch, block)
    assert fast == slow
