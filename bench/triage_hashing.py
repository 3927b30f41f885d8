"""Triage hashing throughput vs the machine limit and vs hashdeep (forensic-triage.md §4).

Generates (seeded) a reference tree — 2 random files of 300 MiB plus 20,000 files with
exponentially distributed sizes (mean 20 KB) in 100 folders — warms the page cache, then in
one run measures:
  (a) the limit: single-core hashlib MD5+SHA-1+SHA-256 throughput over the same bytes × cores;
  (b) our hashing pipeline (walk + one reader + N hashing threads), records discarded;
  (c) ``hashdeep -c md5,sha1,sha256 -r`` on the same tree.
Prints our % of the limit and the ratio against hashdeep. ``--small`` for a quick run.

    uv run python bench/triage_hashing.py [--small] [--dir /tmp/triage-bench] [--jobs N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import queue
import random
import shutil
import subprocess
import threading
import time
from pathlib import Path

from comeforward_triage.containers import ArchiveLimits
from comeforward_triage.hashing import ByteBudget, Hasher, Reader, ReaderDone, ResumeState
from comeforward_triage.sources import open_source


def make_tree(root: Path, big: int, big_mib: int, small: int, folders: int) -> None:
    marker = root / f".done-{big}-{big_mib}-{small}-{folders}"
    if marker.exists():
        return
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(20260101)
    root.mkdir(parents=True)
    for i in range(big):
        with open(root / f"big{i}.bin", "wb") as fh:
            for _ in range(big_mib):
                fh.write(rng.randbytes(1 << 20))
    for i in range(small):
        d = root / f"d{i % folders:03d}"
        d.mkdir(exist_ok=True)
        (d / f"f{i:05d}.bin").write_bytes(rng.randbytes(int(rng.expovariate(1 / 20_000))))
    marker.touch()


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".done"))


def warm(files: list[Path]) -> int:
    total = 0
    for p in files:
        total += len(p.read_bytes())
    return total


def limit_single_core(files: list[Path]) -> float:
    """Seconds for one core to MD5+SHA-1+SHA-256 the same bytes (data already in memory)."""
    t = 0.0
    for p in files:
        data = p.read_bytes()
        t0 = time.perf_counter()
        for start in range(0, max(1, len(data)), 1 << 20):
            chunk = data[start : start + (1 << 20)]
            hashlib.md5(chunk)
            hashlib.sha1(chunk)
            hashlib.sha256(chunk)
        t += time.perf_counter() - t0
    return t


def ours(root: Path, jobs: int) -> tuple[float, int]:
    source = open_source(str(root))
    work_q: queue.Queue = queue.Queue(maxsize=jobs * 4)
    result_q: queue.Queue = queue.Queue()
    budget = ByteBudget(256 << 20)
    reader = Reader(
        source.walk(),
        work_q,
        result_q,
        budget,
        ArchiveLimits(),
        ResumeState(),
        None,
        threading.Event(),
    )
    threads = [threading.Thread(target=reader.run)]
    threads += [
        threading.Thread(target=Hasher(work_q, result_q, budget, None).run) for _ in range(jobs)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    left, done, nbytes = jobs, False, 0
    while left or not done:
        item = result_q.get()
        if item is None:
            left -= 1
        elif isinstance(item, ReaderDone):
            done = True
            for _ in range(jobs):
                work_q.put(None)
        elif isinstance(item, list):
            nbytes += sum(r.nbytes for r in item)
    return time.perf_counter() - t0, nbytes


def hashdeep(root: Path) -> float | None:
    if shutil.which("hashdeep") is None:
        return None
    t0 = time.perf_counter()
    subprocess.run(
        ["hashdeep", "-c", "md5,sha1,sha256", "-r", str(root)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="2×30 MiB + 2,000 files")
    ap.add_argument("--dir", default="/tmp/triage-bench")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3, help="best of N for each measurement")
    args = ap.parse_args()
    root = Path(args.dir) / ("small" if args.small else "full")
    if args.small:
        make_tree(root, 2, 30, 2000, 100)
    else:
        make_tree(root, 2, 300, 20_000, 100)
    files = all_files(root)
    total = warm(files)
    cores = args.jobs
    mib = total / (1 << 20)
    t_one = min(limit_single_core(files) for _ in range(args.repeat))
    limit = mib / t_one * cores
    t_ours = min(ours(root, cores)[0] for _ in range(args.repeat))
    ours_rate = mib / t_ours
    t_hd = [hashdeep(root) for _ in range(args.repeat)]
    print(f"tree: {len(files)} files, {mib:.1f} MiB, cores used: {cores}")
    print(f"(a) limit: single core {mib / t_one:.0f} MiB/s x {cores} = {limit:.0f} MiB/s")
    print(f"(b) comeforward-triage hashing: {ours_rate:.0f} MiB/s ({t_ours:.2f} s)")
    print(f"    = {100 * ours_rate / limit:.1f} % of the limit (target >= 85 %)")
    if t_hd[0] is not None:
        hd = mib / min(t for t in t_hd if t is not None)
        print(f"(c) hashdeep -c md5,sha1,sha256 -r: {hd:.0f} MiB/s")
        print(f"    ratio ours / hashdeep = {ours_rate / hd:.2f}x (target >= 2.5x)")
    else:
        print("(c) hashdeep not installed (apt hashdeep)")


if __name__ == "__main__":
    main()
