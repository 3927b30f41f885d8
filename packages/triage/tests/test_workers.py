"""Worker processes for directory trees (ADR 0102): same output as threads, auto choice."""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import zipfile
from pathlib import Path

import pytest
from comeforward_triage import native, procpool
from comeforward_triage.hashing import CHUNK
from comeforward_triage.pipeline import choose_workers
from comeforward_triage.procpool import WorkerError
from comeforward_triage.run import RunOptions, triage_run
from comeforward_triage.sources import open_source
from evidence_fixtures import BRIDGE, TESTDATA, make_tree


def _odd_tree(ev: Path) -> None:
    make_tree(ev)
    big = ev / "deep" / "er"
    big.mkdir(parents=True)
    (big / "large.bin").write_bytes(bytes(range(256)) * ((CHUNK + 12345) // 256))
    (ev / "exact-chunk.bin").write_bytes(b"c" * CHUNK)
    for i in range(23):  # more entries than the (patched) split size: shared between workers
        (ev / "many" / f"f{i:02d}.bin").parent.mkdir(exist_ok=True)
        (ev / "many" / f"f{i:02d}.bin").write_bytes(bytes([i]) * (i * 997))
    (ev / "many" / "sub").mkdir()
    (ev / "many" / "sub" / "x.txt").write_bytes(b"x")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/m.txt", b"member")
        z.writestr("pic.jpg", BRIDGE.read_bytes())
    (ev / "arc.zip").write_bytes(buf.getvalue())
    (ev / "many" / "arc2.zip").write_bytes(buf.getvalue())
    (ev / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    (ev / "empty").write_bytes(b"")
    with open(ev / "sparse.img", "wb") as fh:
        fh.truncate(3 << 20)
        fh.seek(2 << 20)
        fh.write(b"tail")
    (ev / os.fsdecode(b"bad\xffname.bin")).write_bytes(b"odd")
    (ev / "line\nbreak.txt").write_bytes(b"nl")
    os.symlink("empty", ev / "link")
    os.symlink("nowhere", ev / "dangling")
    os.symlink("loop_b", ev / "loop_a")
    os.symlink("loop_a", ev / "loop_b")
    os.mkfifo(ev / "pipe")
    (ev / "locked").mkdir()
    (ev / "locked" / "hidden.txt").write_bytes(b"h")
    (ev / "locked.bin").write_bytes(b"secret")


def _fault_injection(monkeypatch: pytest.MonkeyPatch, *, file: bool = True) -> None:
    """Root ignores chmod 000: simulate EACCES on one file (if *file*) and one directory
    (inherited by the forked workers, as the patches are in place before they start)."""
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, flags, *a, **kw):
        if file and os.fsdecode(path).endswith("locked.bin"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *a, **kw)

    def fake_scandir(path):
        if isinstance(path, (str, bytes)) and os.fsdecode(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)


def _run(ev: Path, out: Path, workers: str, perceptual: bool = True) -> dict:
    """Parallel reads asked for: "auto" would give the one sequential reader where the test
    directory sits on a disk the kernel calls rotational (test_reading.py)."""
    return triage_run(
        RunOptions(
            source=str(ev),
            out=str(out),
            jobs=2,
            perceptual=perceptual,
            workers=workers,  # type: ignore[arg-type]
            reader="parallel",
        )
    )


@pytest.mark.parametrize("core", ["python", "native"])
def test_processes_give_byte_identical_output(tmp_path: Path, monkeypatch, core: str) -> None:
    """Threads (Python hashing) and worker processes — with the pure-Python worker, and with
    the native two-lane engine — write the same listing byte for byte. The faults are
    injected through Python's ``os``, which the native core does not call: with it, the
    locked file reads normally on both paths and the locked directory stays faked."""
    ev = tmp_path / "ev"
    _odd_tree(ev)
    if core == "native":
        assert native.AVAILABLE, "the native core is not built (see setup.py)"
        pattern = bytes((7 * i) % 256 for i in range(256))
        (ev / "big2.bin").write_bytes(pattern * ((3 * CHUNK + 999) // 256))
    else:
        monkeypatch.setattr(native, "AVAILABLE", False)
    _fault_injection(monkeypatch, file=core == "python")
    monkeypatch.setattr(procpool, "SPLIT_ENTRIES", 7)
    reports = {w: _run(ev, tmp_path / w, w) for w in ("threads", "processes")}
    assert reports["threads"]["run"]["workers"] == "threads"
    assert reports["processes"]["run"]["workers"] == "processes"
    for name in ("files.jsonl", "new-material.vics.json"):
        assert (tmp_path / "threads" / name).read_bytes() == (
            tmp_path / "processes" / name
        ).read_bytes()
    assert reports["threads"]["totals"] == reports["processes"]["totals"]
    recs = {}
    for line in (tmp_path / "processes" / "files.jsonl").read_text().splitlines():
        rec = json.loads(line)
        recs[rec["path"]] = rec
    assert recs["many/arc2.zip!/inner/m.txt"]["md5"] == hashlib.md5(b"member").hexdigest()
    assert recs["many/arc2.zip"]["container"] == {"members": 2, "error": None}
    assert recs["bad.zip"]["container"]["error"].startswith("CORRUPT_ARCHIVE")
    assert recs["locked"]["error"] == "DIRECTORY_UNREADABLE: Permission denied (errno 13)"
    assert "locked/hidden.txt" not in recs
    if core == "python":
        assert recs["locked.bin"]["error"] == "UNREADABLE: Permission denied"
    else:
        assert recs["locked.bin"]["md5"] == hashlib.md5(b"secret").hexdigest()
        big2 = (ev / "big2.bin").read_bytes()
        assert recs["big2.bin"]["md5"] == hashlib.md5(big2).hexdigest()
    assert recs["many/f22.bin"]["sha256"] == hashlib.sha256(bytes([22]) * 22 * 997).hexdigest()
    assert recs["many/sub/x.txt"]["md5"] == hashlib.md5(b"x").hexdigest()
    large = (ev / "deep" / "er" / "large.bin").read_bytes()
    assert recs["deep/er/large.bin"]["sha1"] == hashlib.sha1(large).hexdigest()
    assert recs["exact-chunk.bin"]["md5"] == hashlib.md5(b"c" * CHUNK).hexdigest()
    sparse = b"\0" * (2 << 20) + b"tail" + b"\0" * ((1 << 20) - 4)
    assert recs["sparse.img"]["sha256"] == hashlib.sha256(sparse).hexdigest()
    assert recs["arc.zip!/pic.jpg"]["pdq"] is not None
    assert recs["link"]["warnings"] == ["SKIPPED: symbolic link to 'empty', not followed"]
    assert recs["loop_a"]["error_code"] == "SYMLINK_LOOP"
    assert recs["pipe"]["error_code"] == "NOT_A_REGULAR_FILE"


def test_processes_hash_images_with_pdq(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    photos = sorted(p for p in TESTDATA.rglob("*.jpg"))[:3]
    for i, p in enumerate(photos):
        (ev / f"p{i}.jpg").write_bytes(p.read_bytes())
    _run(ev, tmp_path / "t", "threads")
    _run(ev, tmp_path / "p", "processes")
    assert (tmp_path / "t" / "files.jsonl").read_bytes() == (
        tmp_path / "p" / "files.jsonl"
    ).read_bytes()
    recs = [json.loads(x) for x in (tmp_path / "p" / "files.jsonl").read_text().splitlines()]
    assert len(recs) == len(photos) >= 1
    assert all(r["pdq"] is not None and r["is_image"] for r in recs)


def test_processes_resume_from_a_journal(tmp_path: Path) -> None:
    """A journal cut short (as by SIGKILL) is completed by workers to the same listing."""
    ev = tmp_path / "ev"
    _odd_tree(ev)
    full = tmp_path / "full"
    _run(ev, full, "processes", perceptual=False)
    part = tmp_path / "part"
    _run(ev, part, "processes", perceptual=False)
    lines = (part / "journal.jsonl").read_bytes().splitlines(keepends=True)
    (part / "journal.jsonl").write_bytes(b"".join(lines[: len(lines) // 2]))
    report = _run(ev, part, "processes", perceptual=False)
    assert report["run"]["resumed_files"] > 0
    assert (part / "files.jsonl").read_bytes() == (full / "files.jsonl").read_bytes()


def test_workers_are_chosen_by_source(tmp_path: Path, monkeypatch) -> None:
    from comeforward_triage import pipeline

    ev = tmp_path / "ev"
    ev.mkdir()
    directory = open_source(str(ev))
    image = tmp_path / "disk.raw"
    image.write_bytes(b"\0" * 4096)
    # The choice depends on whether the calling process runs other threads; the test suite
    # itself may (other tests leave helper threads), so the count is set explicitly here.
    monkeypatch.setattr(pipeline.threading, "active_count", lambda: 1)
    assert choose_workers(directory, 2) == "processes"
    monkeypatch.setattr(pipeline.threading, "active_count", lambda: 2)
    # another thread running: forking could deadlock the child, so threads
    assert choose_workers(directory, 2) == "threads"
    assert choose_workers(directory, 2, "processes") == "processes"
    monkeypatch.setattr(pipeline.threading, "active_count", lambda: 1)
    assert choose_workers(directory, 1) == "threads"
    assert choose_workers(directory, 2, "threads") == "threads"
    raw_cls = type("Raw", (), {"PARALLEL_SMALL_READS": False})
    assert choose_workers(raw_cls(), 4) == "threads"  # type: ignore[arg-type]
    assert choose_workers(raw_cls(), 4, "processes") == "threads"  # type: ignore[arg-type]


def test_the_thread_count_is_read_from_the_real_process() -> None:
    from comeforward_triage import pipeline

    gate = threading.Event()
    other = threading.Thread(target=gate.wait)
    other.start()
    try:
        assert pipeline.threading.active_count() >= 2
    finally:
        gate.set()
        other.join()


def test_a_failing_worker_stops_the_run(tmp_path: Path, monkeypatch) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "a.txt").write_bytes(b"a")

    def broken(self, job, hashed):
        raise KeyError("bug")

    monkeypatch.setattr(procpool._Work, "complete", broken)
    with pytest.raises(WorkerError, match="KeyError"):
        _run(ev, tmp_path / "o", "processes", perceptual=False)


def test_workers_match_against_the_sets_as_the_main_process_does(tmp_path: Path) -> None:
    """Worker processes match records and write their journal lines themselves (issue 16
    item 4): the same matches, warnings and listing as the threaded pipeline."""
    from comeforward_triage.hashsets import compile_hashset

    ev = tmp_path / "ev"
    _odd_tree(ev)
    hit = hashlib.md5(b"x").hexdigest()
    both = hashlib.md5(b"member").hexdigest()
    (tmp_path / "ref.csv").write_text(f"md5,category\n{hit},B\n{both},A\n")
    compile_hashset(tmp_path / "ref.csv", "csv", out=tmp_path / "ref.cfhs")
    (tmp_path / "kg.csv").write_text(f"md5\n{both}\n")
    compile_hashset(tmp_path / "kg.csv", "csv", out=tmp_path / "kg.cfhs", profile="known-good")
    listings = {}
    for w in ("threads", "processes"):
        report = triage_run(
            RunOptions(
                source=str(ev),
                out=str(tmp_path / w),
                jobs=2,
                workers=w,  # type: ignore[arg-type]
                reader="parallel",
                hashsets=[str(tmp_path / "ref.cfhs")],
                known_good=[str(tmp_path / "kg.cfhs")],
            )
        )
        assert report["run"]["workers"] == w
        listings[w] = (tmp_path / w / "files.jsonl").read_bytes()
        journal = (tmp_path / w / "journal.jsonl").read_text()
        assert '"category": "B"' in journal
    assert listings["threads"] == listings["processes"]
    recs = {json.loads(x)["path"]: json.loads(x) for x in listings["processes"].splitlines()}
    assert recs["many/sub/x.txt"]["match"]["category"] == "B"
    assert recs["many/arc2.zip!/inner/m.txt"]["known_good"] is True
