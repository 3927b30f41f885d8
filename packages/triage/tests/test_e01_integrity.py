"""A damaged E01 must not look clean (issue 11 item 5; issue 16 item 3).

E01s are made with ``ewfacquire`` from ext4 images made here, damaged by overwriting or cutting
bytes, and what the run reports is compared with ``ewfverify`` on the same file: the sectors
whose chunk checksum is wrong, the MD5 computed over the data, and the stored one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from comeforward_triage import cli
from comeforward_triage.run import RunOptions, triage_run
from comeforward_triage.sources.ewf import EwfImage, segment_paths
from evidence_fixtures import digests, need, run

pytest.importorskip("pytsk3")
pytest.importorskip("pyewf")


def _tree(root: Path) -> dict[str, bytes]:
    rnd = __import__("random").Random(11)
    files = {
        # random bytes do not compress: ewfacquire stores their chunks as they are (with an
        # Adler-32), so a slice of the file can be found in the E01 and damaged there
        "target.bin": rnd.randbytes(300_000),
        "other.bin": rnd.randbytes(150_000),
        "notes.txt": b"plain words " * 500,
        "small.dat": b"abc",
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


def _image(tmp_path: Path, *extra: str) -> tuple[Path, Path, dict[str, bytes]]:
    need("mkfs.ext4", "ewfacquire", "ewfverify")
    tree = tmp_path / "tree"
    files = _tree(tree)
    raw = tmp_path / "fs.img"
    with open(raw, "wb") as fh:
        fh.truncate(8 << 20)
    run("mkfs.ext4", "-q", "-F", "-d", tree, raw)
    target = tmp_path / "ev"
    run(
        "ewfacquire", "-u", "-t", target, "-c", "deflate:fast", "-f", "encase6",
        "-D", "t", "-e", "t", "-E", "JS/1", "-N", "n", "-C", "c", *extra, "-q", raw,
    )  # fmt: skip
    return raw, tmp_path / "ev.E01", files


def _ewfverify(e01: Path) -> tuple[list[dict[str, int]], str, str]:
    """Bad sector runs, stored MD5 and computed MD5 as ewfverify reports them."""
    out = subprocess.run(["ewfverify", "-q", str(e01)], capture_output=True, text=True).stdout
    runs = [
        {"first_sector": int(a), "sectors": int(b) - int(a) + 1}
        for a, b in re.findall(r"(\d+) - (\d+) \(number: \d+\)", out)
    ]
    stored = re.search(r"MD5 hash stored in file:\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    computed = re.search(r"MD5 hash calculated over data:\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    return runs, stored, computed


def _triage(tmp_path: Path, image: Path, name: str = "out") -> tuple[dict, dict]:
    out = tmp_path / name
    report = triage_run(RunOptions(source=str(image), out=str(out), perceptual=False))
    recs = {r["path"]: r for r in map(json.loads, (out / "files.jsonl").read_text().splitlines())}
    return report, recs


def _damage(path: Path, at: int, length: int = 16) -> None:
    with open(path, "r+b") as fh:
        fh.seek(at)
        old = fh.read(length)
        fh.seek(at)
        fh.write(bytes(b ^ 0xFF for b in old))


def test_clean_e01_is_verified_against_its_stored_hashes(tmp_path: Path) -> None:
    raw, e01, files = _image(tmp_path, "-d", "sha1")
    report, recs = _triage(tmp_path, e01)
    src = report["source"]
    data = raw.read_bytes()
    assert src["acquisition_hashes"] == {
        "md5": hashlib.md5(data).hexdigest(),
        "sha1": hashlib.sha1(data).hexdigest(),
    }
    assert src["computed_hashes"] == digests(data)
    assert src["sha256"] == hashlib.sha256(data).hexdigest()
    assert src["acquisition_hashes_verified"] is True
    assert src["checksum_errors"] == []
    assert report["issues"]["by_code"] == {}
    for rel, content in files.items():
        assert {k: recs["p1/" + rel][k] for k in ("md5", "sha1", "sha256")} == digests(content)
        assert recs["p1/" + rel]["error"] is None


def test_damaged_chunk_is_reported_like_ewfverify_and_marks_its_file(
    tmp_path: Path, capsys
) -> None:
    raw, e01, files = _image(tmp_path)
    blob = e01.read_bytes()
    probe = files["target.bin"][150_000:150_064]
    at = blob.index(probe)  # stored uncompressed: the file's bytes are in the E01 as they are
    _damage(e01, at + 8)
    runs, stored, computed = _ewfverify(e01)
    assert len(runs) == 1 and stored != computed  # the damage is real, by ewfverify's account

    report, recs = _triage(tmp_path, e01)
    src = report["source"]
    assert src["checksum_errors"] == runs
    assert src["acquisition_hashes"]["md5"] == stored
    assert src["computed_hashes"]["md5"] == computed
    assert src["acquisition_hashes_verified"] is False
    damaged = {p for p, r in recs.items() if r["error_code"] == "CHUNK_CHECKSUM_ERROR"}
    assert damaged == {"p1/target.bin"}
    rec = recs["p1/target.bin"]
    assert rec["md5"] is not None and rec["md5"] != digests(files["target.bin"])["md5"]
    assert "sectors" in rec["error"]
    for rel in ("other.bin", "notes.txt", "small.dat"):
        assert recs["p1/" + rel]["md5"] == digests(files[rel])["md5"]
        assert recs["p1/" + rel]["error"] is None
    by_code = report["issues"]["by_code"]
    assert by_code["ACQUISITION_HASH_MISMATCH"] == 1
    assert by_code["CHUNK_CHECKSUM_ERROR"] == 2  # the image's run of sectors + one file
    assert report["totals"]["errors"] == 1

    # the CLI says so too (exit 0: the run finished and its reports are written)
    rc = cli.main(["triage", "run", str(e01), "--out", str(tmp_path / "o2"), "--quiet"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert out["acquisition_hashes_verified"] is False
    assert out["checksum_errors"] == runs
    assert out["issues"]["ACQUISITION_HASH_MISMATCH"] == 1


def test_damage_outside_any_file_still_fails_verification(tmp_path: Path) -> None:
    raw, e01, _files = _image(tmp_path)
    img = EwfImage(str(e01))
    try:
        last = img.n_chunks - 1  # the end of the image: free space, zeros, compressed
        assert img._comp[last]
        start, length = img._off[last], img._len[last]
    finally:
        img.close()
    _damage(e01, start + length // 2, 4)
    runs, stored, computed = _ewfverify(e01)
    # a chunk of zeros that cannot be inflated reads as zeros (ewfverify and us alike), so the
    # MD5 over the data still matches — but the image is damaged, and must not pass as verified
    assert runs and stored == computed
    report, recs = _triage(tmp_path, e01)
    assert report["source"]["checksum_errors"] == runs
    assert report["source"]["computed_hashes"]["md5"] == computed
    assert report["source"]["acquisition_hashes_verified"] is False
    assert not any(r["error"] for r in recs.values())
    assert report["issues"]["by_code"] == {"CHUNK_CHECKSUM_ERROR": 1}


@pytest.mark.parametrize("keep", [200, 2_000, "half", "all-but-76"])
def test_truncated_e01_is_a_json_error(tmp_path: Path, capsys, keep: object) -> None:
    _raw, e01, _files = _image(tmp_path)
    blob = e01.read_bytes()
    n = {"half": len(blob) // 2, "all-but-76": len(blob) - 76}.get(keep, keep)  # type: ignore[call-overload]
    cut = tmp_path / "cut.E01"
    cut.write_bytes(blob[:n])
    rc = cli.main(["triage", "run", str(cut), "--out", str(tmp_path / "o"), "--quiet"])
    captured = capsys.readouterr()
    assert rc == 2
    assert json.loads(captured.out)["error"]["code"] == "CORRUPT_IMAGE"
    assert "Traceback" not in captured.err


def test_segmented_e01_and_a_missing_segment(tmp_path: Path, capsys) -> None:
    raw, e01, files = _image(tmp_path, "-S", str(1 << 20), "-c", "none")  # ~8 segments
    segs = segment_paths(str(e01))
    assert [os.path.basename(s) for s in segs][:3] == ["ev.E01", "ev.E02", "ev.E03"]
    report, recs = _triage(tmp_path, e01)
    assert report["source"]["acquisition_hashes_verified"] is True
    assert report["source"]["computed_hashes"]["md5"] == hashlib.md5(raw.read_bytes()).hexdigest()
    assert recs["p1/target.bin"]["sha256"] == digests(files["target.bin"])["sha256"]
    os.unlink(segs[-1])
    rc = cli.main(["triage", "run", str(e01), "--out", str(tmp_path / "o"), "--quiet"])
    assert rc == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "CORRUPT_IMAGE"


def test_reader_gives_the_media_bytes(tmp_path: Path) -> None:
    raw, e01, _files = _image(tmp_path, "-b", "16")
    img = EwfImage(str(e01), jobs=2)
    try:
        data = raw.read_bytes()
        assert img.media_size == len(data)
        assert img.read(0, len(data)) == data
        for off, size in ((0, 1), (8191, 2), (123_457, 70_001), (len(data) - 5, 100)):
            assert img.read(off, size) == data[off : off + size]
    finally:
        img.close()


def test_raw_image_hashes_are_reported(tmp_path: Path) -> None:
    raw, _e01, _files = _image(tmp_path)
    report, _recs = _triage(tmp_path, raw)
    data = raw.read_bytes()
    assert report["source"]["image_hashes"] == digests(data)
    assert report["source"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_file_is_checked_even_when_nothing_has_read_its_chunks(tmp_path: Path) -> None:
    """The media pass and the file reads usually check a file's chunks before its record is
    built; with neither having run, asking for the file's state checks them then (fail
    closed: a damaged file never looks clean because nobody happened to read it)."""
    from comeforward_triage.sources import open_source

    _raw, e01, files = _image(tmp_path)
    blob = e01.read_bytes()
    _damage(e01, blob.index(files["target.bin"][150_000:150_064]) + 8)
    source = open_source(str(e01))
    try:
        ewf = source._ewf  # type: ignore[attr-defined]
        ewf._stop.set()  # the media pass ends at once: no chunk is inflated ahead
        entries = {ef.path: ef for ef in source.walk() if ef.opener is not None}
        # forget what the file system's own reads inflated (TSK reads 64 KiB around its
        # metadata, which on this small image reaches the file's chunks)
        ewf._checked[:] = bytes(ewf.n_chunks)
        ewf.bad.clear()
        ewf._cache.clear()
        assert entries["p1/target.bin"].error_code == "CHUNK_CHECKSUM_ERROR"
        assert ewf.bad  # ... it was when the file's state was asked for
        assert "sectors" in (entries["p1/target.bin"].error or "")
        assert entries["p1/other.bin"].error_code is None
    finally:
        source.close()
