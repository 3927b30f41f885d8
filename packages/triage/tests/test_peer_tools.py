"""Digests checked file by file against the peer tools on a generated tree: ``hashdeep`` (MD5,
SHA-1, SHA-256) and GNU ``sha256sum`` — odd names, sparse and empty files, deep nesting, a
directory larger than a worker's share, files on both sides of the 1 MiB chunk.

The run uses the engine's default for a directory: worker processes with the native core where
it is built (ADR 0102, addendum 3); the same tree through the pure-Python core must give the
same listing.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from comeforward_triage import native
from comeforward_triage.hashing import CHUNK
from comeforward_triage.run import RunOptions, triage_run
from comeforward_triage.sources.base import decode_name

pytestmark = pytest.mark.skipif(
    not (shutil.which("hashdeep") and shutil.which("sha256sum")),
    reason="needs hashdeep and sha256sum (make setup installs them)",
)


def _tree(root: Path) -> int:
    rng = random.Random(5)
    root.mkdir()
    names = ["plain.txt", "with space.bin", "comma,semi;colon.dat", "ünïcödé-名前.jpg", "-dash"]
    for name in names:
        (root / name).write_bytes(rng.randbytes(rng.randrange(0, 70_000)))
    (root / os.fsdecode(b"latin1-\xe9t\xe9.txt")).write_bytes(b"not utf-8 name")
    (root / "empty").write_bytes(b"")
    with open(root / "sparse.img", "wb") as fh:
        fh.truncate(5 << 20)
        fh.seek(3 << 20)
        fh.write(b"island")
    for size in (CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 77):
        (root / f"edge-{size}.bin").write_bytes(rng.randbytes(size))
    deep = root
    for i in range(40):
        deep = deep / f"level{i:02d}"
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_bytes(b"deep down")
    crowd = root / "crowd"
    crowd.mkdir()
    for i in range(300):  # more than one worker unit (128 names)
        (crowd / f"n{i:03d}").write_bytes(rng.randbytes(int(rng.expovariate(1 / 3000))))
    return sum(1 for p in root.rglob("*") if p.is_file())


def _ours(ev: Path, out: Path, reader: str = "parallel") -> dict[str, dict]:
    triage_run(
        RunOptions(source=str(ev), out=str(out), perceptual=False, jobs=2, reader=reader)  # type: ignore[arg-type]
    )
    recs = [json.loads(x) for x in (out / "files.jsonl").read_text().splitlines()]
    return {r["path"]: r for r in recs}


def _shown(raw: bytes) -> str:
    """A path as the engine shows it (components not valid UTF-8 as \\xNN)."""
    return "/".join(decode_name(part)[0] for part in raw.split(b"/"))


def test_digests_agree_with_hashdeep_and_sha256sum(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    count = _tree(ev)
    recs = _ours(ev, tmp_path / "out")
    assert len(recs) == count

    listing = subprocess.run(
        ["hashdeep", "-c", "md5,sha1,sha256", "-r", "-l", "."],
        cwd=ev,
        capture_output=True,
        check=True,
    ).stdout
    theirs = {}
    for line in listing.splitlines():
        if line.startswith((b"%", b"#")) or not line:
            continue
        size, md5, sha1, sha256, path = line.split(b",", 4)
        theirs[_shown(path.removeprefix(b"./"))] = (
            int(size),
            md5.decode(),
            sha1.decode(),
            sha256.decode(),
        )
    assert len(theirs) == count
    for path, (size, md5, sha1, sha256) in theirs.items():
        rec = recs[path]
        assert (rec["size"], rec["md5"], rec["sha1"], rec["sha256"]) == (size, md5, sha1, sha256), (
            path
        )

    files = subprocess.run(
        ["find", ".", "-type", "f", "-print0"], cwd=ev, capture_output=True, check=True
    ).stdout.split(b"\0")[:-1]
    sums = subprocess.run(
        ["sha256sum", "-z", "--", *files], cwd=ev, capture_output=True, check=True
    ).stdout.split(b"\0")[:-1]
    assert len(sums) == count
    for entry in sums:
        digest, path = entry.split(b"  ", 1)
        assert recs[_shown(path.removeprefix(b"./"))]["sha256"] == digest.decode()


def test_every_core_and_reader_lists_the_same_tree_byte_for_byte(
    tmp_path: Path, monkeypatch
) -> None:
    """Worker processes with the native core, the one sequential reader (threads, hashlib),
    and worker processes with the Python core: the same listing."""
    ev = tmp_path / "ev"
    _tree(ev)
    _ours(ev, tmp_path / "fast")
    _ours(ev, tmp_path / "sequential", reader="sequential")
    monkeypatch.setattr(native, "AVAILABLE", False)
    _ours(ev, tmp_path / "python")
    fast = (tmp_path / "fast" / "files.jsonl").read_bytes()
    assert fast == (tmp_path / "python" / "files.jsonl").read_bytes()
    assert fast == (tmp_path / "sequential" / "files.jsonl").read_bytes()
