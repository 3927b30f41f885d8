"""Crash safety: SIGKILL at random points, rerun the same command, same result."""

from __future__ import annotations

import io
import json
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from comeforward_triage.hashsets import compile_hashset
from comeforward_triage.perceptual import pdq_from_path
from evidence_fixtures import PDQ_DATA
from PIL import Image, ImageOps

CMD = [sys.executable, "-m", "comeforward_triage.cli", "triage", "run"]


def _tree(root: Path) -> None:
    rng = random.Random(1234)
    for d in range(20):
        folder = root / f"d{d:02d}"
        folder.mkdir(parents=True)
        for f in range(100):
            (folder / f"f{f:03d}.bin").write_bytes(rng.randbytes(int(rng.expovariate(1 / 4000))))
    for i in range(3):
        (root / f"big{i}.bin").write_bytes(rng.randbytes(3 << 20))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for m in range(50):
                z.writestr(f"m{m}.txt", rng.randbytes(2000))
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as zi:
                zi.writestr("deep.txt", b"deep%d" % i)
            z.writestr("inner.zip", inner.getvalue())
        (root / f"arc{i}.zip").write_bytes(buf.getvalue())
    # pictures for the perceptual phase: rotated / mirrored copies of benign photographs
    # (matched via pdq), one as an archive member, and one picture in no set (new material)
    bridge = Image.open(PDQ_DATA / "bridge-mods" / "aaa-orig.jpg").convert("RGB")
    pen = Image.open(PDQ_DATA / "reg-test-input" / "pen-and-coaster.png").convert("RGB")
    bridge.transpose(Image.Transpose.ROTATE_90).save(root / "d03" / "b-rot.jpg", quality=80)
    ImageOps.mirror(pen).save(root / "d11" / "p-mirror.png")
    pen.save(root / "d17" / "p.jpg", quality=60)
    buf = io.BytesIO()
    bridge.save(buf, "JPEG", quality=50)
    with zipfile.ZipFile(root / "pics.zip", "w") as z:
        z.writestr("in/b.jpg", buf.getvalue())
    (root / "d05" / "new.png").write_bytes(
        (PDQ_DATA / "reg-test-input" / "labelme-subset" / "q0291.jpg").read_bytes()
    )


def _pdq_set(tmp: Path) -> Path:
    """A reference set holding only the originals' PDQ hashes (and one unrelated MD5)."""
    bridge = pdq_from_path(PDQ_DATA / "bridge-mods" / "aaa-orig.jpg").hash
    pen = pdq_from_path(PDQ_DATA / "reg-test-input" / "pen-and-coaster.png").hash
    csv = tmp / "ref.csv"
    csv.write_text(f"md5,pdq,category\n,{bridge},A\n,{pen},C\n{'ab' * 16},,B\n")
    compile_hashset(csv, "csv", out=tmp / "ref.cfhs")
    return tmp / "ref.cfhs"


def _run(
    src: Path, out: Path, hashset: Path, kill_after: float | None = None, reader: str = "parallel"
) -> int:
    args = ["--out", str(out), "--quiet", "--jobs", "2", "--hashset", str(hashset)]
    proc = subprocess.Popen(
        [*CMD, str(src), *args, "--reader", reader],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if kill_after is None:
        out_text, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (out_text, err)
        return 0
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return proc.returncode


def _result(out: Path) -> tuple[list[str], dict]:
    lines = sorted((out / "files.jsonl").read_text().splitlines())
    report = json.loads((out / "report.json").read_text())
    keys = (
        "totals",
        "categories",
        "known_good",
        "unmatched_images",
        "matches_by_method",
        "pdq",
        "new_material",
    )
    return lines, {k: report[k] for k in keys}


@pytest.mark.parametrize(("seed", "reader"), [(1, "parallel"), (2, "sequential"), (3, "parallel")])
def test_killed_runs_resume_to_the_same_result(tmp_path: Path, seed: int, reader: str) -> None:
    """Worker processes (parallel reads) and the one sequential reader (ADR 0102, addenda 2–4)
    both resume to the listing of an uninterrupted run."""
    src = tmp_path / "ev"
    _tree(src)
    hashset = _pdq_set(tmp_path)
    ref = tmp_path / "ref"
    _run(src, ref, hashset)
    expected_lines, expected_counts = _result(ref)
    assert expected_counts["totals"]["files"] == 2000 + 3 + 3 * 53 + 4 + 2
    assert expected_counts["categories"] == {"A": 2, "B": 0, "C": 2, "UNCATEGORISED": 0}
    assert expected_counts["matches_by_method"] == {"pdq": 4}
    assert expected_counts["new_material"]["count"] == 1
    rng = random.Random(seed)
    out = tmp_path / "out"
    for _ in range(3):
        _run(src, out, hashset, kill_after=rng.uniform(0.2, 2.0), reader=reader)
    _run(src, out, hashset, reader=reader)
    lines, counts = _result(out)
    assert lines == expected_lines
    assert counts == expected_counts
    assert (out / "new-material.vics.json").read_bytes() == (
        ref / "new-material.vics.json"
    ).read_bytes()
    report = json.loads((out / "report.json").read_text())
    run = report["run"]
    # nothing the journal held was hashed again
    assert run["resumed_files"] + run["files_hashed_this_session"] == counts["totals"]["files"]
