"""The whole default ``comeforward triage run`` vs hashdeep and vs the machine's limit (issue 16
items 1 and 4), measured in the same run.

What an examiner waits for: wall time from the command to its exit, with every report written
and sealed (``files.jsonl``, DFXML, CASE, the new-material export, ``report.json``), default
options (reader chosen by the run itself, perceptual hashing on). Two trees, generated seeded:

* the reference tree of ``bench/triage_hashing.py``: 2 × 300 MiB + 20,000 files (exponential
  sizes, mean 20 KB) in 100 folders (``--small``: 2 × 30 MiB + 2,000 files);
* a small-files tree: 20,000 files of 1-8 KB in 100 folders (``--small``: 2,000) — item 4,
  "20,000 files of a few KB must not take longer than hashdeep"; it also gives the per-file
  cost of the whole run (CPU time and wall time per file).

Each round, interleaved (so that other users' load falls on all alike; medians reported):
  (a) the limit: single-core hashlib MD5+SHA-1+SHA-256 throughput over the reference tree's
      bytes (in memory) × cores;
  (b) ``comeforward triage run TREE --out NEW --quiet`` on the reference tree;
  (c) ``hashdeep -c md5,sha1,sha256 -r TREE`` on the same tree;
  (d)/(e) the same two on the small-files tree.
The page cache is warmed first. CPU seconds include the run's worker processes.

    uv run python bench/triage_run.py [--small] [--rounds 3] [--dir /tmp/triage-run-bench]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from triage_hashing import all_files, limit_single_core, make_tree, warm  # noqa: E402


def make_small_tree(root: Path, files: int, folders: int) -> None:
    marker = root / f".done-{files}-{folders}"
    if marker.exists():
        return
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(20261203)
    root.mkdir(parents=True)
    for i in range(files):
        d = root / f"d{i % folders:03d}"
        d.mkdir(exist_ok=True)
        (d / f"f{i:05d}.bin").write_bytes(rng.randbytes(rng.randint(1024, 8192)))
    marker.touch()


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and every child it waited for)."""
    c0 = os.times()
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.children_user + c1.children_system) - (c0.children_user + c0.children_system)
    return wall, cpu


def comeforward() -> list[str]:
    exe = Path(sys.executable).parent / "comeforward"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "comeforward_triage.cli"]


PHASES: dict[str, list[float]] = {}


def ours(tree: Path, scratch: Path) -> tuple[float, float]:
    """The CLI run; also notes the run's own hashing-phase seconds (``report.run``) so that
    the time before and after it (start-up, matching, reports, seal) can be stated."""
    import json

    out = scratch / "run-out"
    shutil.rmtree(out, ignore_errors=True)
    res = _timed([*comeforward(), "triage", "run", str(tree), "--out", str(out), "--quiet"])
    if not (out / "report.json").exists():
        raise SystemExit("the run wrote no report")
    report = json.loads((out / "report.json").read_text())
    PHASES.setdefault(str(tree), []).append(report["run"]["seconds_this_session"])
    return res


def reader_of(scratch: Path) -> str:
    import json

    report = json.loads((scratch / "run-out" / "report.json").read_text())
    return report["run"]["reader"]


def hashdeep(tree: Path) -> tuple[float, float] | None:
    if shutil.which("hashdeep") is None:
        return None
    return _timed(["hashdeep", "-c", "md5,sha1,sha256", "-r", str(tree)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="2×30 MiB + 2,000 files; 2,000 small")
    ap.add_argument("--dir", default="/tmp/triage-run-bench")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians reported")
    args = ap.parse_args()
    base = Path(args.dir)
    ref = base / ("small" if args.small else "full")
    tiny = base / ("few-kb-small" if args.small else "few-kb")
    if args.small:
        make_tree(ref, 2, 30, 2000, 100)
        make_small_tree(tiny, 2000, 100)
    else:
        make_tree(ref, 2, 300, 20_000, 100)
        make_small_tree(tiny, 20_000, 100)
    files = all_files(ref)
    total = warm(files)
    tiny_files = all_files(tiny)
    warm(tiny_files)
    cores = os.cpu_count() or 1
    mib = total / (1 << 20)
    rows: dict[str, list[tuple[float, float]]] = {k: [] for k in ("a", "b", "c", "d", "e")}
    load0 = os.getloadavg()[0]
    for _ in range(args.rounds):
        t, cpu = limit_single_core(files)
        rows["a"].append((t, cpu))
        rows["b"].append(ours(ref, base))
        hd = hashdeep(ref)
        if hd is not None:
            rows["c"].append(hd)
        rows["d"].append(ours(tiny, base))
        hd = hashdeep(tiny)
        if hd is not None:
            rows["e"].append(hd)
    reader = reader_of(base)
    load1 = os.getloadavg()[0]

    def wall(k: str) -> float:
        return median(w for w, _ in rows[k])

    def cpu(k: str) -> float:
        return median(c for _, c in rows[k])

    limit = mib / wall("a") * cores
    b_rate = mib / wall("b")
    print(f"reference tree: {len(files)} files, {mib:.1f} MiB; cores: {cores}")
    print(f"rounds: {args.rounds} (medians); load average {load0:.2f} before, {load1:.2f} after")
    print(f"reader chosen by the run: {reader}")
    print(f"(a) limit: single core {mib / wall('a'):.0f} MiB/s x {cores} = {limit:.0f} MiB/s")
    print(
        f"(b) whole `comeforward triage run` (reports written and sealed): {wall('b'):.2f} s"
        f" = {b_rate:.0f} MiB/s; runs (s): {_fmt(rows['b'])}; CPU-s {cpu('b'):.2f}"
    )
    print(f"    = {100 * b_rate / limit:.1f} % of the limit (target >= 85 %)")
    print(f"    of which the hashing phase (report.run): {median(PHASES[str(ref)]):.2f} s")
    if rows["c"]:
        print(
            f"(c) hashdeep -c md5,sha1,sha256 -r: {wall('c'):.2f} s; runs (s): {_fmt(rows['c'])};"
            f" CPU-s {cpu('c'):.2f}"
        )
        print(f"    ratio ours / hashdeep = {wall('c') / wall('b'):.2f}x (target >= 2.5x)")
    n = len(tiny_files)
    print(f"small-files tree: {n} files of 1-8 KB")
    print(
        f"(d) whole run: {wall('d'):.2f} s; runs (s): {_fmt(rows['d'])}; CPU-s {cpu('d'):.2f}"
        f" -> per file {1e6 * wall('d') / n:.0f} µs wall, {1e6 * cpu('d') / n:.0f} µs CPU"
    )
    print(f"    of which the hashing phase (report.run): {median(PHASES[str(tiny)]):.2f} s")
    if rows["e"]:
        print(
            f"(e) hashdeep: {wall('e'):.2f} s; runs (s): {_fmt(rows['e'])}; CPU-s {cpu('e'):.2f}"
            f" -> per file {1e6 * wall('e') / n:.0f} µs wall, {1e6 * cpu('e') / n:.0f} µs CPU"
        )
        print(f"    ratio ours / hashdeep = {wall('e') / wall('d'):.2f}x (target >= 1x)")
    print(
        "CPU seconds (less sensitive to other users' load): limit one core "
        f"{cpu('a'):.2f}; bound for (b) with every core free: "
        f"{100 * cpu('a') / cpu('b'):.1f} % of the limit"
    )


def _fmt(pairs: list[tuple[float, float]]) -> str:
    return ", ".join(f"{w:.2f}" for w, _ in pairs)


if __name__ == "__main__":
    main()
