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


def _run(src: Path, out: Path, kill_after: float | None = None) -> int:
    proc = subprocess.Popen(
        [*CMD, str(src), "--out", str(out), "--quiet", "--no-perceptual", "--jobs", "2"],
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
    keys = ("totals", "categories", "known_good", "unmatched_images")
    return lines, {k: report[k] for k in keys}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_runs_resume_to_the_same_result(tmp_path: Path, seed: int) -> None:
    src = tmp_path / "ev"
    _tree(src)
    ref = tmp_path / "ref"
    _run(src, ref)
    expected_lines, expected_counts = _result(ref)
    assert expected_counts["totals"]["files"] == 2000 + 3 + 3 * 53
    rng = random.Random(seed)
    out = tmp_path / "out"
    for _ in range(3):
        _run(src, out, kill_after=rng.uniform(0.2, 2.0))
    _run(src, out)
    lines, counts = _result(out)
    assert lines == expected_lines
    assert counts == expected_counts
    report = json.loads((out / "report.json").read_text())
    run = report["run"]
    # nothing the journal held was hashed again
    assert run["resumed_files"] + run["files_hashed_this_session"] == counts["totals"]["files"]
