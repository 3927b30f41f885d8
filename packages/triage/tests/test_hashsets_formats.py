"""Every input format of ``hashset compile`` (INTERFACES.md §4), with generated inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from comeforward_triage.errors import MalformedHashSet, UnknownFormat
from comeforward_triage.hashsets import FORMATS, compile_hashset, open_hashset
from hashset_fixtures import (
    VICS2_UK_CASE,
    VICS13_CONTEXT,
    build_rds3,
    build_rds3_minimal,
    md5,
    pdq,
    sha1,
    sha256,
    vics2_hashset,
    write_json,
)

ABC = {"1": "A", "2": "B", "3": "C", "0": "UNCATEGORISED", "null": "UNCATEGORISED"}


@pytest.fixture
def abc_map(tmp_path: Path) -> Path:
    path = tmp_path / "abc.json"
    path.write_text(json.dumps(ABC))
    return path


def cat(rs, algorithm: str, hex_digest: str):
    entry = rs.lookup(algorithm, bytes.fromhex(hex_digest))
    return None if entry is None else entry.category


def test_registry_names() -> None:
    assert sorted(FORMATS) == [
        "csv",
        "hashdeep",
        "md5sum",
        "nsrl-rds3",
        "pdq-text",
        "sha1sum",
        "sha256sum",
        "vics",
        "vpdq-text",
    ]


def test_unknown_format(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    with pytest.raises(UnknownFormat) as exc:
        compile_hashset(tmp_path / "x", "encase", out=tmp_path / "o.cfhs")
    assert exc.value.code == "UNKNOWN_FORMAT"


# ---------------------------------------------------------------- VICS
def test_vics2_hashset_with_quirks(tmp_path: Path, abc_map: Path) -> None:
    media = [
        # upper-case hex, int category, string booleans, series name
        {
            "MediaID": 1,
            "Category": 1,
            "MD5": md5(1).upper(),
            "SHA1": sha1(1).upper(),
            "VictimIdentified": "true",
            "Series": "series-x",
            "IsPrecategorized": "false",
        },
        # odd key casing, string category, JSON booleans, empty series
        {"mediaid": 2, "category": "2", "md5": md5(2), "victimIdentified": False, "series": ""},
        # null category (GLEAPP exports Uncategorised as null)
        {"MediaID": 3, "Category": None, "Md5": md5(3)},
        # absent category, SHA-256 and PDQ only via AlternativeHashes (PhotoDNA ignored)
        {
            "MediaID": 4,
            "AlternativeHashes": [
                {"HashName": "PhotoDNA", "HashValue": "QUJD"},
                {"HashName": "SHA256", "HashValue": sha256(4)},
                {"HashName": "PDQ", "HashValue": pdq(4)},
            ],
        },
        # PhotoDNA only → skipped and counted
        {"MediaID": 5, "Category": 3, "PhotoDNA": "QUJD", "MD5": ""},
        # category 3, MediaFiles MD5 (case export style), empty-string flags
        {"MediaID": 6, "Category": 3, "VictimIdentified": "", "MediaFiles": [{"MD5": md5(6)}]},
    ]
    src = write_json(tmp_path / "set.json", vics2_hashset(media))
    info = compile_hashset(src, "vics", out=tmp_path / "s.cfhs", category_map=abc_map)
    assert info["entries"] == {"md5": 4, "sha1": 1, "sha256": 1, "pdq": 1}
    assert info["source"]["records"] == 6
    assert info["source"]["skipped"] == {"records_without_supported_hash": 1}
    assert info["source"]["details"]["vics_version"] == "2.0"
    with open_hashset(tmp_path / "s.cfhs") as rs:
        e1 = rs.lookup("md5", bytes.fromhex(md5(1)))
        assert (e1.category, e1.series, e1.victim_identified) == ("A", True, True)
        assert cat(rs, "sha1", sha1(1)) == "A"
        e2 = rs.lookup("md5", bytes.fromhex(md5(2)))
        assert (e2.category, e2.series, e2.victim_identified) == ("B", None, False)
        e3 = rs.lookup("md5", bytes.fromhex(md5(3)))
        assert (e3.category, e3.series, e3.victim_identified) == ("UNCATEGORISED", None, None)
        assert cat(rs, "sha256", sha256(4)) == "UNCATEGORISED"
        assert cat(rs, "md5", md5(6)) == "C"
        rows, codes = rs.pdq_hashes()
        assert rows.shape == (1, 32) and bytes(rows[0]).hex() == pdq(4)
        assert codes.tolist() == [3]


def test_vics13_and_uk_case_export(tmp_path: Path, abc_map: Path) -> None:
    v13 = {
        "odata.metadata": VICS13_CONTEXT,
        "value": [
            {
                "odata.id": "x",
                "MediaID": 9,
                "Category": 2,
                "MD5": md5(9).upper(),
                "VictimIdentified": "False",
            }
        ],
    }
    src = write_json(tmp_path / "v13.json", v13)
    info = compile_hashset(src, "vics", out=tmp_path / "a.cfhs", category_map=abc_map)
    assert info["source"]["details"]["vics_version"] == "1.3"
    with open_hashset(tmp_path / "a.cfhs") as rs:
        assert rs.lookup("md5", bytes.fromhex(md5(9))).victim_identified is False
    case = {
        "@odata.context": VICS2_UK_CASE,
        "value": [
            {
                "CaseID": "{6F1B3A5E-0000-0000-0000-000000000000}",
                "CaseNumber": "JS/1",
                "TotalMediaFiles": 999,
                "Media": [
                    {"MediaID": 1, "Category": 1, "MD5": md5(11), "Series": 42},
                    {
                        "MediaID": 2,
                        "Category": 1,
                        "MD5": md5(12),
                        "Series": 0,
                        "MediaFiles": [{"MD5": md5(12), "FileName": "a.jpg"}],
                    },
                ],
            }
        ],
    }
    src = write_json(tmp_path / "case.json", case)
    info = compile_hashset(src, "vics", out=tmp_path / "c.cfhs", category_map=abc_map)
    assert info["entries"]["md5"] == 2  # counted, TotalMediaFiles ignored
    assert info["source"]["records"] == 2
    with open_hashset(tmp_path / "c.cfhs") as rs:
        assert rs.lookup("md5", bytes.fromhex(md5(11))).series is True
        assert rs.lookup("md5", bytes.fromhex(md5(12))).series is False


def test_vics_odata_verbose_wrapper_and_bom(tmp_path: Path, abc_map: Path) -> None:
    doc = {"d": {"results": [{"MD5": md5(1), "Category": "01"}]}}
    src = tmp_path / "d.json"
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode())
    compile_hashset(src, "vics", out=tmp_path / "d.cfhs", category_map=abc_map)
    with open_hashset(tmp_path / "d.cfhs") as rs:
        assert cat(rs, "md5", md5(1)) == "A"


def test_vics_streams_many_records_across_read_blocks(tmp_path: Path, abc_map: Path) -> None:
    media = [{"MediaID": i, "Category": i % 4, "MD5": md5(i)} for i in range(30000)]
    src = write_json(tmp_path / "big.json", vics2_hashset(media))
    assert src.stat().st_size > 2 << 20  # more than two 1 MiB read blocks
    info = compile_hashset(src, "vics", out=tmp_path / "b.cfhs", category_map=abc_map)
    assert info["categories"]["md5"] == {"A": 7500, "B": 7500, "C": 7500, "UNCATEGORISED": 7500}
    with open_hashset(tmp_path / "b.cfhs") as rs:
        assert cat(rs, "md5", md5(29999)) == "C"


@pytest.mark.parametrize(
    "text",
    [
        '{"value": [{"MD5": "abc"}]}',  # wrong length
        '{"value": [{"MD5": "' + "zz" * 16 + '"}]}',  # not hex
        '{"value": [{"MD5": 12}]}',  # not a string
        '{"value": [{"MD5": "' + md5(1) + '"}',  # truncated
        "not json",
    ],
)
def test_vics_malformed(tmp_path: Path, abc_map: Path, text: str) -> None:
    src = tmp_path / "bad.json"
    src.write_text(text)
    with pytest.raises(MalformedHashSet) as exc:
        compile_hashset(src, "vics", out=tmp_path / "o.cfhs", category_map=abc_map)
    assert exc.value.code == "MALFORMED_INPUT"
    assert md5(1) not in json.dumps(exc.value.as_dict())  # never echo hash values
    assert not (tmp_path / "o.cfhs").exists()


# ---------------------------------------------------------------- NSRL RDS v3
def test_nsrl_rds3_full(tmp_path: Path) -> None:
    db = build_rds3(tmp_path / "rds.db", [1, 2, 3, 2], orphan=50)
    info = compile_hashset(db, "nsrl-rds3", out=tmp_path / "n.cfhs")
    # orphan METADATA row is not in the FILE view; the repeated item is merged
    assert info["entries"] == {"md5": 3, "sha1": 3, "sha256": 3, "pdq": 0}
    assert info["duplicates_merged"] == 3
    assert info["categories"]["md5"] == {"KNOWN_GOOD": 3}
    assert info["source"]["details"]["nsrl_table"] == "FILE"
    assert info["source"]["details"]["nsrl_version"]["version"] == "2024.03.1"
    with open_hashset(tmp_path / "n.cfhs") as rs:
        for alg, fn in (("md5", md5), ("sha1", sha1), ("sha256", sha256)):
            assert cat(rs, alg, fn(3)) == "KNOWN_GOOD"
            assert cat(rs, alg, fn(50)) is None


def test_nsrl_rds3_minimal(tmp_path: Path) -> None:
    db = build_rds3_minimal(tmp_path / "min.db", [5, 6])
    info = compile_hashset(db, "nsrl-rds3", out=tmp_path / "m.cfhs")
    assert info["source"]["details"]["nsrl_table"] == "DISTINCT_HASH"
    assert info["total_entries"] == 6


def test_nsrl_refuses_profile_and_non_sqlite(tmp_path: Path) -> None:
    from comeforward_triage.errors import InvalidArguments

    db = build_rds3_minimal(tmp_path / "min.db", [5])
    with pytest.raises(InvalidArguments):
        compile_hashset(db, "nsrl-rds3", out=tmp_path / "m.cfhs", profile="numeric-abc")
    (tmp_path / "t.txt").write_text("hello")
    with pytest.raises(MalformedHashSet):
        compile_hashset(tmp_path / "t.txt", "nsrl-rds3", out=tmp_path / "m.cfhs")


# ---------------------------------------------------------------- coreutils
@pytest.mark.parametrize(
    ("fmt", "alg", "fn", "tag"),
    [
        ("md5sum", "md5", md5, "MD5"),
        ("sha1sum", "sha1", sha1, "SHA1"),
        ("sha256sum", "sha256", sha256, "SHA256"),
    ],
)
def test_coreutils_formats(tmp_path: Path, fmt: str, alg: str, fn, tag: str) -> None:
    lines = [
        f"{fn(1)}  plain name.jpg",
        f"{fn(2).upper()} *binary-marker.bin",
        f"\\{fn(3)}  escaped\\nname\\\\x",  # coreutils escaping of \n and \\ in names
        "",
        f"{tag} (tagged file) = {fn(4)}",
        f"{fn(5)}",  # bare hash
        f"{fn(6)}  windows line\r",
    ]
    src = tmp_path / "list.txt"
    src.write_text("\n".join(lines))  # no final newline
    info = compile_hashset(src, fmt, out=tmp_path / "s.cfhs", profile="known-good")
    assert info["entries"][alg] == 6
    assert info["source"]["records"] == 6
    with open_hashset(tmp_path / "s.cfhs") as rs:
        for i in range(1, 7):
            assert cat(rs, alg, fn(i)) == "KNOWN_GOOD"
        assert cat(rs, alg, fn(7)) is None


def test_md5sum_fast_path_spans_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from comeforward_triage.hashsets.formats import sums

    monkeypatch.setattr(sums, "BLOCK", 1000)  # force many blocks with lines cut mid-way
    src = tmp_path / "l.md5"
    src.write_text("".join(f"{md5(i)}  file{i}\n" for i in range(500)))
    info = compile_hashset(src, "md5sum", out=tmp_path / "s.cfhs", profile="uncategorised")
    assert info["entries"]["md5"] == 500
    with open_hashset(tmp_path / "s.cfhs") as rs:
        assert all(cat(rs, "md5", md5(i)) == "UNCATEGORISED" for i in range(500))


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (f"{md5(1)}  a\n{sha1(1)}  b\n", 2),  # wrong algorithm length
        (f"{md5(1)}  a\nSHA1 (x) = {sha1(1)}\n", 2),  # tag for another algorithm
        (f"{md5(1)}  a\n\n{'g' * 32}  c\n", 3),  # not hex
    ],
)
def test_md5sum_malformed_names_line(tmp_path: Path, content: str, line: int) -> None:
    src = tmp_path / "bad.md5"
    src.write_text(content)
    with pytest.raises(MalformedHashSet) as exc:
        compile_hashset(src, "md5sum", out=tmp_path / "o.cfhs", profile="uncategorised")
    assert exc.value.details["line"] == line


# ---------------------------------------------------------------- hashdeep / md5deep
def test_hashdeep_file(tmp_path: Path) -> None:
    src = tmp_path / "known.txt"
    src.write_text(
        "%%%% HASHDEEP-1.0\n"
        "%%%% size,md5,sha256,filename\n"
        "## Invoked from: /home/x\n"
        "## $ hashdeep -r .\n"
        "##\n"
        f"10,{md5(1)},{sha256(1)},/data/a, with comma.txt\n"
        f"20,{md5(2)},{sha256(2)},/data/b.txt\n"
    )
    info = compile_hashset(src, "hashdeep", out=tmp_path / "h.cfhs", profile="known-good")
    assert info["entries"] == {"md5": 2, "sha1": 0, "sha256": 2, "pdq": 0}
    assert info["source"]["details"]["columns"] == ["size", "md5", "sha256", "filename"]
    with open_hashset(tmp_path / "h.cfhs") as rs:
        assert cat(rs, "sha256", sha256(1)) == "KNOWN_GOOD"


def test_md5deep_output_mixed_algorithms(tmp_path: Path) -> None:
    src = tmp_path / "deep.txt"
    src.write_text(f"{md5(1)}  /a\n{sha1(2)}  /b\n{sha256(3)}  /c\n")
    info = compile_hashset(src, "hashdeep", out=tmp_path / "h.cfhs", profile="uncategorised")
    assert info["entries"] == {"md5": 1, "sha1": 1, "sha256": 1, "pdq": 0}


def test_hashdeep_bad_row(tmp_path: Path) -> None:
    src = tmp_path / "known.txt"
    src.write_text(f"%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n10,{md5(1)[:-2]},/a\n")
    with pytest.raises(MalformedHashSet) as exc:
        compile_hashset(src, "hashdeep", out=tmp_path / "h.cfhs", profile="uncategorised")
    assert exc.value.details["line"] == 3


# ---------------------------------------------------------------- CSV / PDQ text
def test_csv_all_columns(tmp_path: Path, abc_map: Path) -> None:
    src = tmp_path / "set.csv"
    src.write_text(
        "\ufeffMD5,SHA1,Sha256,PDQ,Category,Series,Victim_Identified\n"
        f"{md5(1)},{sha1(1)},,{pdq(1)},1,true,\n"
        f",,{sha256(2)},,3,,False\n"
        ",,,,2,,\n"
    )
    info = compile_hashset(src, "csv", out=tmp_path / "c.cfhs", category_map=abc_map)
    assert info["entries"] == {"md5": 1, "sha1": 1, "sha256": 1, "pdq": 1}
    assert info["source"]["skipped"] == {"rows_without_hash": 1}
    with open_hashset(tmp_path / "c.cfhs") as rs:
        e = rs.lookup("md5", bytes.fromhex(md5(1)))
        assert (e.category, e.series, e.victim_identified) == ("A", True, None)
        e = rs.lookup("sha256", bytes.fromhex(sha256(2)))
        assert (e.category, e.victim_identified) == ("C", False)


def test_csv_label_values_and_no_hash_column(tmp_path: Path) -> None:
    src = tmp_path / "set.csv"
    src.write_text(f"md5\tcategory\n{md5(1)}\tA\n{md5(2)}\tknown_good\n")
    compile_hashset(src, "csv", out=tmp_path / "c.cfhs")  # labels need no map
    with open_hashset(tmp_path / "c.cfhs") as rs:
        assert cat(rs, "md5", md5(1)) == "A"
        assert cat(rs, "md5", md5(2)) == "KNOWN_GOOD"
    src.write_text("name,size\na,1\n")
    with pytest.raises(MalformedHashSet):
        compile_hashset(src, "csv", out=tmp_path / "c.cfhs")


def test_pdq_text(tmp_path: Path) -> None:
    src = tmp_path / "bank.txt"
    src.write_text(f"# bank\n{pdq(1)}\n{pdq(2)},100,a.jpg\npdq {pdq(3)}\n{pdq(1)}\n")
    info = compile_hashset(src, "pdq-text", out=tmp_path / "p.cfhs", profile="uncategorised")
    assert info["entries"]["pdq"] == 3
    with open_hashset(tmp_path / "p.cfhs") as rs:
        rows, codes = rs.pdq_hashes()
        assert sorted(bytes(r).hex() for r in rows) == sorted([pdq(1), pdq(2), pdq(3)])
        assert [bytes(r) for r in rows] == sorted(bytes(r) for r in rows)
        assert codes.tolist() == [3, 3, 3]


VICS_DOCS = [
    {"@odata.context": "x", "value": [{"MD5": "a" * 32, "Category": 1, "MediaFiles": [{"F": 1}]}]},
    {
        "value": [
            {"CaseID": 1, "Media": [{"MD5": "b" * 32, "Category": 2}, {"Other": [1, {"x": 2}]}]}
        ]
    },
    {"d": {"results": [{"SHA1": "c" * 40, "Category": "03", "Extra": {"value": [1.5, None]}}]}},
    [{"MD5": "d" * 32}, [{"SHA256": "e" * 64}], 3, "x"],
    {"MD5": "f" * 32, "value": []},
    {"Cases": [{"CaseNumber": "7", "value": {"Media": [{"MD5": "1" * 32, "big": 10**30}]}}]},
]


@pytest.mark.parametrize("doc", VICS_DOCS)
def test_the_c_tokeniser_and_the_python_walker_give_the_same_records(tmp_path: Path, doc) -> None:
    """jsonstream.iter_records over ijson (yajl2_c) events yields what the pure-Python walker
    yields, in the same order (issue 16 item 6) — binary input with a BOM too."""
    from comeforward_triage.hashsets.formats import jsonstream
    from comeforward_triage.hashsets.formats.vics import _is_record

    assert jsonstream._ijson() is not None, "ijson with its C backend is a dependency"
    src = tmp_path / "doc.json"
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, indent=1).encode())
    with open(src, "rb") as fh:
        fast = list(jsonstream.iter_records(fh, _is_record))
    with open(src, encoding="utf-8-sig") as fh:
        slow = list(jsonstream.iter_records_python(fh, _is_record))
    assert fast == slow and fast


@pytest.mark.parametrize(
    "text", ['{"value": [{"MD5": 1}', '{"value": []} x', "7", '{"value": [{"MD5": "\xff"}]}']
)
def test_both_walkers_refuse_malformed_json(tmp_path: Path, text: str, monkeypatch) -> None:
    from comeforward_triage.hashsets.formats import jsonstream

    src = tmp_path / "bad.json"
    src.write_bytes(text.encode("latin-1"))
    with pytest.raises(MalformedHashSet):
        compile_hashset(src, "vics", out=tmp_path / "a.cfhs", profile="numeric-abc")
    monkeypatch.setattr(jsonstream, "_ijson", lambda: None)
    with pytest.raises(MalformedHashSet):
        compile_hashset(src, "vics", out=tmp_path / "b.cfhs", profile="numeric-abc")


def test_compile_reports_progress(tmp_path: Path) -> None:
    media = [{"MediaID": i, "Category": i % 4, "MD5": md5(i)} for i in range(3000)]
    src = write_json(tmp_path / "p.json", vics2_hashset(media))
    seen: list[tuple[str, int]] = []
    compile_hashset(
        src,
        "vics",
        out=tmp_path / "p.cfhs",
        profile="numeric-abc",
        progress=lambda phase, n: seen.append((phase, n)),
    )
    reading = [n for phase, n in seen if phase == "reading"]
    assert reading == sorted(reading) and reading[-1] == 3000
    assert seen[-1] == ("sorting", 3000)
