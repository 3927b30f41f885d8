"""Matching and the counting rule (INTERFACES.md §5) against an in-memory reference set."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from comeforward_triage import run as run_mod
from comeforward_triage.match import LoadedSet, count, match_record
from comeforward_triage.run import RunOptions, triage_run


@dataclass
class FakeEntry:
    category: str


@dataclass
class FakeSet:
    path: str
    table: dict[tuple[str, bytes], str] = field(default_factory=dict)
    sha256: str = "ab" * 32

    @property
    def entries(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for alg, _ in self.table:
            out[alg] = out.get(alg, 0) + 1
        return out

    @property
    def total_entries(self) -> int:
        return len(self.table)

    def add(self, alg: str, data: bytes, category: str) -> None:
        self.table[(alg, hashlib.new(alg, data).digest())] = category

    def lookup(self, algorithm: str, digest: bytes) -> FakeEntry | None:
        cat = self.table.get((algorithm, digest))
        return None if cat is None else FakeEntry(cat)


def _rec(data: bytes, is_image: bool = True) -> dict:
    return {
        "path": "x",
        "size": len(data),
        "is_image": is_image,
        "warnings": [],
        "md5": hashlib.md5(data).hexdigest(),
        "sha1": hashlib.sha1(data).hexdigest(),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def test_most_serious_category_wins_across_sets_and_algorithms() -> None:
    s1, s2 = FakeSet("/sets/one.cfhs"), FakeSet("/sets/two.cfhs")
    s1.add("md5", b"img", "C")
    s2.add("sha1", b"img", "A")
    s2.add("sha256", b"img", "UNCATEGORISED")
    rec = _rec(b"img")
    match_record(rec, [LoadedSet(s1, False), LoadedSet(s2, False)])
    assert rec["match"] == {"category": "A", "set": "two.cfhs", "via": "sha1", "distance": None}
    assert rec["known_good"] is False


def test_known_good_and_conflict() -> None:
    bad, nsrl = FakeSet("/bad.cfhs"), FakeSet("/nsrl.cfhs")
    nsrl.add("sha1", b"sys", "UNCATEGORISED")  # any hit in a --known-good set is known-good
    nsrl.add("md5", b"both", "KNOWN_GOOD")
    bad.add("md5", b"both", "B")
    bad.add("sha256", b"kg", "KNOWN_GOOD")
    sets = [LoadedSet(bad, False), LoadedSet(nsrl, True)]
    sys_rec, both, kg = _rec(b"sys"), _rec(b"both"), _rec(b"kg")
    for r in (sys_rec, both, kg):
        match_record(r, sets)
    assert sys_rec["match"] is None and sys_rec["known_good"] is True
    assert kg["match"] is None and kg["known_good"] is True
    assert both["match"]["category"] == "B" and both["known_good"] is True
    assert both["warnings"][0].startswith("KNOWN_GOOD_CONFLICT")


def test_unhashed_record_never_matches() -> None:
    rec = {"path": "p", "size": 0, "md5": None, "sha1": None, "sha256": None, "warnings": []}
    s = FakeSet("/s")
    match_record(rec, [LoadedSet(s, False)])
    assert rec["match"] is None and rec["known_good"] is False


def test_counting_rule() -> None:
    recs = [
        {"match": {"category": "A", "via": "md5"}, "known_good": True, "is_image": True},
        {"match": {"category": "A", "via": "sha1"}, "known_good": False, "is_image": False},
        {"match": {"category": "C", "via": "md5"}, "known_good": False, "is_image": True},
        {"match": None, "known_good": True, "is_image": True},
        {"match": None, "known_good": False, "is_image": True},
        {"match": None, "known_good": False, "is_image": False},
        {"match": None, "known_good": False, "is_image": False, "error": "X: y"},
    ]
    for r in recs:
        r.setdefault("size", 10)
        r["sha256"] = None if r.get("error") else "00"
        r["warnings"] = []
    c = count(recs)
    assert c["categories"] == {"A": 2, "B": 0, "C": 1, "UNCATEGORISED": 0}
    assert c["known_good"] == 1
    assert c["unmatched_images"] == 1
    assert c["totals"]["files"] == 7 and c["totals"]["errors"] == 1
    assert c["totals"]["images"] == 4 and c["totals"]["bytes"] == 60
    assert c["matches_by_method"] == {"md5": 2, "sha1": 1}


def test_run_counts_with_fake_sets(tmp_path: Path, monkeypatch) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    jpeg = b"\xff\xd8\xff\xe0" + b"j" * 100
    (ev / "a1.jpg").write_bytes(jpeg + b"1")
    (ev / "a1-copy.bin").write_bytes(jpeg + b"1")
    (ev / "c.jpg").write_bytes(jpeg + b"c")
    (ev / "new.jpg").write_bytes(jpeg + b"n")
    (ev / "os.dll").write_bytes(b"MZ system")
    bad, nsrl = FakeSet(str(tmp_path / "police.cfhs")), FakeSet(str(tmp_path / "nsrl.cfhs"))
    bad.add("sha256", jpeg + b"1", "A")
    bad.add("md5", jpeg + b"c", "C")
    nsrl.add("sha1", b"MZ system", "KNOWN_GOOD")
    for s in (bad, nsrl):
        Path(s.path).write_bytes(b"x")
    by_path = {bad.path: bad, nsrl.path: nsrl}

    def fake_open_sets(paths, known_good_only):
        return [LoadedSet(by_path[p], known_good_only) for p in paths]

    monkeypatch.setattr(run_mod, "open_sets", fake_open_sets)
    report = triage_run(
        RunOptions(
            source=str(ev),
            out=str(tmp_path / "o"),
            hashsets=[bad.path],
            known_good=[nsrl.path],
            perceptual=False,
        )
    )
    assert report["categories"] == {"A": 2, "B": 0, "C": 1, "UNCATEGORISED": 0}
    assert report["known_good"] == 1
    assert report["unmatched_images"] == 1
    assert [h["role"] for h in report["hashsets"]] == ["reference", "known_good"]
    recs = {
        r["path"]: r for r in map(json.loads, (tmp_path / "o/files.jsonl").read_text().splitlines())
    }
    assert recs["a1-copy.bin"]["match"] == {
        "category": "A",
        "set": "police.cfhs",
        "via": "sha256",
        "distance": None,
    }
    assert recs["os.dll"]["known_good"] is True


def test_end_to_end_with_compiled_sets(tmp_path: Path, capsys) -> None:
    hashsets = __import__("pytest").importorskip("comeforward_triage.hashsets")
    from comeforward_triage import cli

    ev = tmp_path / "ev"
    ev.mkdir()
    jpeg = b"\xff\xd8\xff\xe0" + b"q" * 64
    (ev / "a.jpg").write_bytes(jpeg + b"A")
    (ev / "b.jpg").write_bytes(jpeg + b"B")
    (ev / "other.jpg").write_bytes(jpeg + b"?")
    (ev / "sys.dll").write_bytes(b"MZ known")
    csv = tmp_path / "police.csv"
    csv.write_text(
        "md5,category\n"
        f"{hashlib.md5(jpeg + b'A').hexdigest()},1\n"
        f"{hashlib.md5(jpeg + b'B').hexdigest()},2\n"
    )
    cmap = tmp_path / "map.json"
    cmap.write_text('{"1": "A", "2": "B", "3": "C", "0": "UNCATEGORISED"}')
    police = tmp_path / "police.cfhs"
    hashsets.compile_hashset(csv, "csv", out=police, category_map=cmap)
    good_src = tmp_path / "good.sha256"
    good_src.write_text(f"{hashlib.sha256(b'MZ known').hexdigest()}  sys.dll\n")
    good = tmp_path / "good.cfhs"
    gmap = tmp_path / "gmap.json"
    gmap.write_text('{"null": "KNOWN_GOOD"}')
    hashsets.compile_hashset(good_src, "sha256sum", out=good, category_map=gmap)
    rc = cli.main(
        [
            "triage",
            "run",
            str(ev),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
            "--no-perceptual",
            "--hashset",
            str(police),
            "--known-good",
            str(good),
        ]
    )
    assert rc == 0, capsys.readouterr().out
    report = json.loads((tmp_path / "o/report.json").read_text())
    assert report["categories"] == {"A": 1, "B": 1, "C": 0, "UNCATEGORISED": 0}
    assert report["known_good"] == 1 and report["unmatched_images"] == 1
    assert report["hashsets"][0]["entries"] == 2
