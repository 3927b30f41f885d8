"""Compiled ``.cfhs`` sets: category mapping, lookups, duplicates, corruption, properties."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from comeforward_triage.errors import (
    CorruptHashSet,
    InvalidCategoryMap,
    InvalidHash,
    UnknownProfile,
    UnmappedCategory,
)
from comeforward_triage.hashsets import (
    CATEGORY_LABELS,
    available_profiles,
    compile_hashset,
    open_hashset,
)
from comeforward_triage.hashsets import fileformat as ff
from hashset_fixtures import md5, sha1, sha256, vics2_hashset, write_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _vics(tmp_path: Path, cats: list) -> Path:
    media = [{"MediaID": i, "Category": c, "MD5": md5(i)} for i, c in enumerate(cats)]
    return write_json(tmp_path / "set.json", vics2_hashset(media))


# ---------------------------------------------------------------- categories
def test_unmapped_categories_are_refused_and_named(tmp_path: Path) -> None:
    src = _vics(tmp_path, [1, 2, 5, 5, None, "7"])
    with pytest.raises(UnmappedCategory) as exc:
        compile_hashset(src, "vics", out=tmp_path / "o.cfhs", profile="numeric-abc")
    assert exc.value.code == "UNMAPPED_CATEGORY"
    assert exc.value.details["unmapped"] == ["5", "7", "null"]
    assert exc.value.details["entries"] == {"5": 2, "7": 1, "null": 1}
    assert not (tmp_path / "o.cfhs").exists()


def test_no_profile_refuses_numeric_categories(tmp_path: Path) -> None:
    with pytest.raises(UnmappedCategory) as exc:
        compile_hashset(_vics(tmp_path, [1]), "vics", out=tmp_path / "o.cfhs")
    assert exc.value.details["unmapped"] == ["1"]


def test_category_map_file(tmp_path: Path) -> None:
    cmap = tmp_path / "m.json"
    cmap.write_text(json.dumps({"1": "a", "2": "B", "3": "C", "0": "uncategorised", "null": "C"}))
    info = compile_hashset(
        _vics(tmp_path, [1, 2, 3, 0, None]), "vics", out=tmp_path / "o.cfhs", category_map=cmap
    )
    assert info["categories"]["md5"] == {"A": 1, "B": 1, "C": 2, "UNCATEGORISED": 1}
    assert info["needs_legal_signoff"] is True
    assert info["profile"]["map"]["null"] == "C"


@pytest.mark.parametrize("content", ['{"1": "Z"}', "{}", "[1]", "not json"])
def test_bad_category_map(tmp_path: Path, content: str) -> None:
    cmap = tmp_path / "m.json"
    cmap.write_text(content)
    with pytest.raises(InvalidCategoryMap):
        compile_hashset(_vics(tmp_path, [1]), "vics", out=tmp_path / "o.cfhs", category_map=cmap)


def test_profiles_are_data_files_with_provenance(tmp_path: Path) -> None:
    assert available_profiles() == [
        "known-good",
        "nsrlconvert-vics",
        "numeric-abc",
        "uncategorised",
    ]
    info = compile_hashset(
        _vics(tmp_path, [1, 3]), "vics", out=tmp_path / "o.cfhs", profile="numeric-abc"
    )
    assert info["profile"]["verified"] is False
    assert info["needs_legal_signoff"] is True
    with pytest.raises(UnknownProfile):
        compile_hashset(_vics(tmp_path, [1]), "vics", out=tmp_path / "o.cfhs", profile="caid-v1")
    # known-good never maps numeric 0 (forensic-triage.md §1.7: never infer known-good from 0)
    with pytest.raises(UnmappedCategory):
        compile_hashset(_vics(tmp_path, [0]), "vics", out=tmp_path / "o.cfhs", profile="known-good")


def test_duplicates_merge_most_serious_category_and_flags(tmp_path: Path) -> None:
    media = [
        {"MD5": md5(1), "Category": 3, "Series": "s"},
        {"MD5": md5(1).upper(), "Category": 1, "VictimIdentified": False},
        {"MD5": md5(1), "Category": 2, "VictimIdentified": "true"},
        {"MD5": md5(2), "Category": 2},
        {"MD5": md5(2), "Category": 2},
    ]
    src = write_json(tmp_path / "d.json", vics2_hashset(media))
    info = compile_hashset(src, "vics", out=tmp_path / "o.cfhs", profile="numeric-abc")
    assert info["entries"]["md5"] == 2
    assert info["duplicates_merged"] == 3
    assert info["conflicting_duplicates"] == 1
    with open_hashset(tmp_path / "o.cfhs") as rs:
        e = rs.lookup("md5", bytes.fromhex(md5(1)))
        assert (e.category, e.series, e.victim_identified) == ("A", True, True)


def test_equal_key_prefixes_are_told_apart(tmp_path: Path) -> None:
    """Digests sharing the first 8 bytes (the search key) differ only in the tail."""
    base = bytes.fromhex(md5(1))
    digests = [base[:8] + bytes([i]) * 8 for i in (9, 3, 7, 3)]
    src = tmp_path / "l.csv"
    src.write_text(
        "md5,category\n" + "".join(f"{d.hex()},{c}\n" for d, c in zip(digests, "ABCA", strict=True))
    )
    info = compile_hashset(src, "csv", out=tmp_path / "o.cfhs")
    assert info["entries"]["md5"] == 3
    with open_hashset(tmp_path / "o.cfhs") as rs:
        assert rs.lookup("md5", digests[0]).category == "A"
        assert rs.lookup("md5", digests[1]).category == "A"  # B and A merged → A
        assert rs.lookup("md5", digests[2]).category == "C"
        assert rs.lookup("md5", base[:8] + b"\x05" * 8) is None
        got = rs.lookup_many("md5", np.frombuffer(b"".join(digests), np.uint8).reshape(-1, 16))
        assert got.tolist() == [0, 0, 2, 0]


# ---------------------------------------------------------------- lookups / API
@pytest.fixture
def multi_set(tmp_path: Path) -> Path:
    src = tmp_path / "m.csv"
    rows = ["md5,sha1,sha256,category"]
    rows += [f"{md5(i)},{sha1(i)},{sha256(i)},{'ABC'[i % 3]}" for i in range(300)]
    src.write_text("\n".join(rows) + "\n")
    compile_hashset(src, "csv", out=tmp_path / "m.cfhs", name="test-bank")
    return tmp_path / "m.cfhs"


@pytest.mark.parametrize(
    ("alg", "fn", "width"), [("md5", md5, 16), ("sha1", sha1, 20), ("sha256", sha256, 32)]
)
def test_lookup_hits_and_misses_every_algorithm(multi_set: Path, alg: str, fn, width: int) -> None:
    with open_hashset(multi_set) as rs:
        assert rs.name == "test-bank"
        assert rs.entries == {"md5": 300, "sha1": 300, "sha256": 300, "pdq": 0}
        assert rs.total_entries == 900
        for i in (0, 1, 2, 299):
            assert rs.lookup(alg, bytes.fromhex(fn(i))).category == "ABC"[i % 3]
        assert rs.lookup(alg, bytes.fromhex(fn(300))) is None
        assert rs.lookup(alg, b"\0" * width) is None
        assert rs.lookup(alg, b"\xff" * width) is None
        queries = [bytes.fromhex(fn(i)) for i in (5, 1000, 0, 1001, 4)]
        arr = np.frombuffer(b"".join(queries), dtype=np.uint8).reshape(-1, width)
        assert rs.lookup_many(alg, arr).tolist() == [2, -1, 0, -1, 1]
        as_bytes = np.array(queries, dtype=f"S{width}")
        assert rs.lookup_many(alg, as_bytes).tolist() == [2, -1, 0, -1, 1]
        assert rs.lookup_many(alg, np.empty((0, width), np.uint8)).tolist() == []
        with pytest.raises(InvalidHash):
            rs.lookup(alg, b"\0" * (width - 1))


def test_lookup_rejects_unknown_algorithm_and_shapes(multi_set: Path) -> None:
    with open_hashset(multi_set) as rs:
        with pytest.raises(InvalidHash):
            rs.lookup("crc32", b"\0" * 4)
        with pytest.raises(InvalidHash):
            rs.lookup_many("md5", np.zeros((2, 20), np.uint8))
        assert rs.lookup_many("md5", np.zeros((1, 16), np.uint8)).dtype == np.int16
        assert rs.pdq_hashes()[0].shape == (0, 32)


def test_sha256_and_info(multi_set: Path) -> None:
    import hashlib

    with open_hashset(multi_set) as rs:
        assert rs.sha256 == hashlib.sha256(multi_set.read_bytes()).hexdigest()
        info = rs.info()
        assert info["sha256"] == rs.sha256
        assert info["categories"]["sha1"] == {"A": 100, "B": 100, "C": 100}
        assert info["source"]["format"] == "csv"
        assert (
            info["input_sha256"]
            == hashlib.sha256((multi_set.parent / "m.csv").read_bytes()).hexdigest()
        )
        assert info["created"].endswith("Z")


def test_md5_section_costs_17_bytes_per_entry(tmp_path: Path) -> None:
    src = tmp_path / "l.md5"
    src.write_text("".join(f"{md5(i)}  f\n" for i in range(10000)))
    compile_hashset(src, "md5sum", out=tmp_path / "o.cfhs", profile="uncategorised")
    with open_hashset(tmp_path / "o.cfhs") as rs:
        assert rs.meta["data_size"] == ff.align(80000, 64) + ff.align(80000, 64) + ff.align(
            10000, 64
        )


# ---------------------------------------------------------------- corruption
def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _refused(path: Path) -> bool:
    try:
        with open_hashset(path) as rs:
            rs.verify()
    except CorruptHashSet as exc:
        assert exc.code == "CORRUPT_HASHSET"
        return True
    return False


def test_every_flipped_byte_is_detected(multi_set: Path, tmp_path: Path) -> None:
    original = multi_set.read_bytes()
    size = len(original)
    assert not _refused(multi_set)
    offsets = sorted(set(range(0, 200)) | set(range(0, size, max(1, size // 400))) | {size - 1})
    for off in offsets:
        multi_set.write_bytes(original)
        _flip(multi_set, off)
        assert _refused(multi_set), f"byte {off} flip not detected"


def test_data_flip_opens_but_verify_fails(multi_set: Path) -> None:
    size = multi_set.stat().st_size
    _flip(multi_set, size - 5)
    with open_hashset(multi_set) as rs, pytest.raises(CorruptHashSet) as exc:
        rs.verify()  # the cheap open check passed; the full check fails
    assert exc.value.details["reason"] == "content checksum mismatch"


@pytest.mark.parametrize("keep", [0, 10, 127, 4096, -1])
def test_truncation_detected_on_open(multi_set: Path, keep: int) -> None:
    data = multi_set.read_bytes()
    multi_set.write_bytes(data[: keep if keep >= 0 else len(data) - 1])
    with pytest.raises(CorruptHashSet):
        open_hashset(multi_set)


def test_appended_bytes_and_other_files_refused(multi_set: Path, tmp_path: Path) -> None:
    with open(multi_set, "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(CorruptHashSet):
        open_hashset(multi_set)
    other = tmp_path / "x.cfhs"
    other.write_bytes(os.urandom(5000))
    with pytest.raises(CorruptHashSet):
        open_hashset(other)
    with pytest.raises(CorruptHashSet):
        open_hashset(tmp_path / "missing.cfhs")


# ---------------------------------------------------------------- property
digest16 = st.binary(min_size=16, max_size=16)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entries=st.dictionaries(digest16, st.sampled_from(CATEGORY_LABELS), min_size=1, max_size=60),
    others=st.lists(digest16, max_size=30),
    shared_prefix=st.booleans(),
)
def test_property_compiled_digests_found_others_not(
    tmp_path_factory: pytest.TempPathFactory, entries: dict, others: list, shared_prefix: bool
) -> None:
    if shared_prefix:  # stress equal 8-byte keys
        entries = {b"\x42" * 8 + k[8:]: v for k, v in entries.items()}
        others = [b"\x42" * 8 + o[8:] for o in others]
    tmp = tmp_path_factory.mktemp("prop")
    src = tmp / "p.csv"
    src.write_text("md5,category\n" + "".join(f"{k.hex()},{v}\n" for k, v in entries.items()))
    compile_hashset(src, "csv", out=tmp / "p.cfhs")
    with open_hashset(tmp / "p.cfhs") as rs:
        assert rs.entries["md5"] == len(entries)
        for k, v in entries.items():
            assert rs.lookup("md5", k).category == v
        misses = [o for o in others if o not in entries]
        for o in misses:
            assert rs.lookup("md5", o) is None
        keys = list(entries) + misses
        got = rs.lookup_many("md5", np.frombuffer(b"".join(keys), np.uint8).reshape(-1, 16))
        expected = [CATEGORY_LABELS.index(entries[k]) for k in entries] + [-1] * len(misses)
        assert got.tolist() == expected


@pytest.mark.parametrize("n", [1, 511, 512, 513, 5000])
def test_fenced_lower_bound_matches_searchsorted(n: int) -> None:
    """The two-level search equals numpy's, including runs of equal keys across fences."""
    from comeforward_triage.hashsets.reader import _Section

    rng = np.random.default_rng(n)
    high = 40 if n > 600 else 2**63  # many equal keys for the larger cases
    keys = np.sort(rng.integers(0, high, size=n).astype("<u8"))
    section = _Section.__new__(_Section)
    section.keys, section.count, section._fences = keys, n, None
    extremes = np.array([0, 2**64 - 1], dtype="<u8")
    q = np.sort(
        np.concatenate(
            [keys[rng.integers(0, n, 400)], rng.integers(0, 2**63, 400).astype("<u8"), extremes]
        )
    )
    assert section.lower_bound(q).tolist() == np.searchsorted(keys, q, side="left").tolist()
