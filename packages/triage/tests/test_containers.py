"""ZIP/TAR members are walked, nested, with archive-bomb limits reported as errors."""

from __future__ import annotations

import hashlib
import io
import json
import random
import tarfile
import zipfile
from pathlib import Path

from comeforward_triage.containers import ArchiveLimits
from comeforward_triage.run import RunOptions, triage_run

D_BIN = random.Random(7).randbytes(2_000_000)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _run(tmp_path: Path, limits: ArchiveLimits | None = None) -> tuple[dict, dict]:
    report = triage_run(
        RunOptions(
            source=str(tmp_path / "ev"),
            out=str(tmp_path / "o"),
            perceptual=False,
            limits=limits or ArchiveLimits(),
        )
    )
    recs = {
        r["path"]: r for r in map(json.loads, (tmp_path / "o/files.jsonl").read_text().splitlines())
    }
    return report, recs


def test_nested_archives_are_walked(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    inner_tar = _tar({"deep/c.txt": b"ccc", "d.bin": D_BIN})
    (ev / "outer.dat").write_bytes(_zip({"a.txt": b"aaa", "sub/inner.tar": inner_tar}))
    report, recs = _run(tmp_path)
    assert sorted(recs) == [
        "outer.dat",
        "outer.dat!/a.txt",
        "outer.dat!/sub/inner.tar",
        "outer.dat!/sub/inner.tar!/d.bin",
        "outer.dat!/sub/inner.tar!/deep/c.txt",
    ]
    assert recs["outer.dat!/sub/inner.tar!/deep/c.txt"]["sha1"] == hashlib.sha1(b"ccc").hexdigest()
    assert recs["outer.dat!/sub/inner.tar!/d.bin"]["md5"] == hashlib.md5(D_BIN).hexdigest()
    assert recs["outer.dat!/sub/inner.tar"]["sha256"] == hashlib.sha256(inner_tar).hexdigest()
    assert recs["outer.dat"]["container"] == {"members": 2, "error": None}
    assert recs["outer.dat!/sub/inner.tar"]["container"] == {"members": 2, "error": None}
    assert report["totals"]["files"] == 5 and report["totals"]["errors"] == 0


def test_bomb_limits_are_errors_not_crashes(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "bomb.zip").write_bytes(_zip({"zeros": b"\0" * (4 << 20), "ok.txt": b"ok"}))
    nested = _zip({"l3.txt": b"3"})
    nested = _zip({"l2.zip": nested})
    (ev / "deep.zip").write_bytes(_zip({"l1.zip": nested}))
    (ev / "big.tar").write_bytes(_tar({"one": b"1" * 3000, "two": b"2" * 3000}))
    (ev / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    limits = ArchiveLimits(max_depth=2, max_ratio=50, max_total_bytes=4000)
    report, recs = _run(tmp_path, limits)
    assert recs["bomb.zip!/zeros"]["error_code"] == "ARCHIVE_RATIO_LIMIT"
    assert recs["bomb.zip!/zeros"]["md5"] is None
    assert recs["bomb.zip!/ok.txt"]["md5"] == hashlib.md5(b"ok").hexdigest()
    assert recs["deep.zip!/l1.zip!/l2.zip"]["container"]["error"].startswith("ARCHIVE_DEPTH_LIMIT")
    assert "deep.zip!/l1.zip!/l2.zip!/l3.txt" not in recs
    assert recs["big.tar!/one"]["error"] is None
    assert recs["big.tar!/two"]["error_code"] == "ARCHIVE_TOTAL_LIMIT"
    assert recs["broken.zip"]["container"]["error"].startswith("CORRUPT_ARCHIVE")
    assert recs["broken.zip"]["md5"] is not None
    assert report["issues"]["by_code"]["ARCHIVE_RATIO_LIMIT"] == 1


def _many_small_bombs(tmp_path: Path, n: int = 30) -> None:
    """*n* archives, each with members of 64 KiB of zeros (~100 bytes stored): every member is
    under the per-member ratio floor, so only a budget across the exhibit can see them."""
    ev = tmp_path / "ev"
    ev.mkdir()
    for i in range(n):
        (ev / f"a{i:02d}.zip").write_bytes(
            _zip({"z1": b"\0" * (64 << 10), "z2": b"\0" * (64 << 10)})
        )
    (ev / "plain.txt").write_bytes(b"not an archive")


def test_exhibit_ratio_budget_catches_many_tiny_members(tmp_path: Path) -> None:
    _many_small_bombs(tmp_path)
    limits = ArchiveLimits(max_ratio=50, exhibit_ratio_floor=512 << 10)
    report, recs = _run(tmp_path, limits)
    members = {p: r for p, r in recs.items() if "!/" in p}
    read = [p for p, r in members.items() if r["md5"] is not None]
    refused = [p for p, r in members.items() if r["error_code"] == "ARCHIVE_RATIO_LIMIT"]
    # the floor lets 8 members (512 KiB) through, then the overall ratio (~650:1) stops the rest
    assert len(read) == 8 and len(refused) == 52
    assert all(members[p]["md5"] is None and members[p]["size"] == 64 << 10 for p in refused)
    assert "for all archives" not in members[refused[0]]["error"]
    assert "archives of this exhibit together" in members[refused[0]]["error"]
    assert report["issues"]["by_code"]["ARCHIVE_RATIO_LIMIT"] == 52
    assert report["run"]["archives"]["expanded_bytes"] == 8 * (64 << 10)
    assert recs["plain.txt"]["md5"] == hashlib.md5(b"not an archive").hexdigest()


def test_without_the_exhibit_budget_every_member_expands(tmp_path: Path) -> None:
    """The same exhibit under a floor it never reaches: all 60 members are read — so the
    budget, not some other limit, is what stopped them above."""
    _many_small_bombs(tmp_path)
    limits = ArchiveLimits(max_ratio=50, exhibit_ratio_floor=1 << 40)
    report, recs = _run(tmp_path, limits)
    assert sum(1 for p, r in recs.items() if "!/" in p and r["md5"]) == 60
    assert report["issues"]["by_code"] == {}


def test_exhibit_byte_budget_spans_archives(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    for name in ("a.tar", "b.tar", "c.tar"):
        (ev / name).write_bytes(_tar({"one": b"1" * 3000}))
    limits = ArchiveLimits(max_total_bytes=4000, max_exhibit_bytes=7000)
    report, recs = _run(tmp_path, limits)
    assert recs["a.tar!/one"]["error"] is None and recs["b.tar!/one"]["error"] is None
    assert recs["c.tar!/one"]["error_code"] == "ARCHIVE_TOTAL_LIMIT"
    assert "all archives of the exhibit together" in recs["c.tar!/one"]["error"]
    assert report["issues"]["by_code"] == {"ARCHIVE_TOTAL_LIMIT": 1}
    assert report["run"]["archives"] == {"expanded_bytes": 6000, "stored_bytes": 6000}


def test_exhibit_budget_survives_a_resume(tmp_path: Path) -> None:
    """A run cut after the first archives were journaled as complete resumes with their bytes
    already counted, so it refuses the same members as an uninterrupted run."""
    _many_small_bombs(tmp_path, n=12)
    limits = ArchiveLimits(max_ratio=50, exhibit_ratio_floor=512 << 10)
    _run(tmp_path, limits)
    out = tmp_path / "o"
    whole = (out / "files.jsonl").read_bytes()
    lines = (out / "journal.jsonl").read_text().splitlines(keepends=True)
    markers = [i for i, line in enumerate(lines) if '"container"' in line]
    cut = markers[2] + 1  # three archives complete, the rest to do
    (out / "journal.jsonl").write_text("".join(lines[:cut]))
    (out / "files.jsonl").unlink()
    _run(tmp_path, limits)
    assert (out / "files.jsonl").read_bytes() == whole
