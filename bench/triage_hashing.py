"""Triage hashing throughput vs the machine limit and vs hashdeep (forensic-triage.md §4).

Generates (seeded) a reference tree — 2 random files of 300 MiB plus 20,000 files with
exponentially distributed sizes (mean 20 KB) in 100 folders — warms the page cache, then in
one run measures:
  (a) the limit: single-core hashlib MD5+SHA-1+SHA-256 throughput over the same bytes × cores;
  (b) our hashing pipeline (walk + one reader + N hashing threads), records discarded;
  (c) ``hashdeep -c md5,sha1,sha256 -r`` on the same tree.
Prints our % of the limit and the ratio against hashdeep. ``--small`` for a quick run.

The three measurements are taken in interleaved rounds (limit, ours, hashdeep, limit, …) and
the median of each is reported, so that load from other users of a shared machine falls on all
three alike; ``cpu`` is the process CPU time of our run over its wall time (2.0 = both cores).

    uv run python bench/triage_hashing.py [--small] [--dir /tmp/triage-bench] [--jobs N]
        [--rounds 3] [--end-to-end]

``--end-to-end`` adds (d): the whole ``triage run`` (journal, matching, four sealed reports),
for information — the targets apply to (b).

``--processes`` adds (e), a prototype for ADR 0102's open question: the same walk in the
parent, batches of file *paths* (≤ 256 files or ~1 MiB; a file ≥ 1 MiB alone) handed to a
``multiprocessing`` pool (fork) of ``--jobs`` worker processes that each open, read (size-hinted
first read, 1 MiB chunks after) and hash their own files and return compact tuples
``(md5, sha1, sha256, size, error)``. Type detection, PDQ, archives and records are left out, so
(e) is an upper bound for a process pipeline, not a drop-in replacement for (b).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import queue
import random
import shutil
import subprocess
import threading
import time
from pathlib import Path
from statistics import median

from comeforward_triage.containers import ArchiveLimits
from comeforward_triage.hashing import (
    CHUNK,
    ByteBudget,
    Hasher,
    Reader,
    ReaderDone,
    ResumeState,
)
from comeforward_triage.run import RunOptions, triage_run
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
    """Seconds for one core to MD5+SHA-1+SHA-256 the same bytes (data already in memory).

    The same work the pipeline must do per file and nothing else: one MD5, SHA-1 and SHA-256
    object per file, updated with the same buffer sizes (whole file below 1 MiB, else 1 MiB
    zero-copy slices), hex digests taken. Reading is outside the timed region.
    """
    t = 0.0
    for p in files:
        data = memoryview(p.read_bytes())
        t0 = time.perf_counter()
        md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
        for start in range(0, len(data), CHUNK):
            chunk = data[start : start + CHUNK]
            md5.update(chunk)
            sha1.update(chunk)
            sha256.update(chunk)
        md5.hexdigest(), sha1.hexdigest(), sha256.hexdigest()
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
        defer_small=source.PARALLEL_SMALL_READS,
    )
    threads = [threading.Thread(target=reader.run)]
    threads += [
        threading.Thread(target=Hasher(work_q, result_q, budget, None).run) for _ in range(jobs)
    ]
    t0, c0 = time.perf_counter(), time.process_time()
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
    wall = time.perf_counter() - t0
    for t in threads:
        t.join()
    return wall, nbytes, (time.process_time() - c0) / wall


def _hash_paths(batch: list[tuple[bytes, int]]) -> list[tuple[str, str, str, int, str | None]]:
    """Worker-process body of (e): open, read and hash each file of *batch*."""
    out = []
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    for path, size in batch:
        md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()  # noqa: S324
        n = 0
        try:
            fd = os.open(path, flags)
            try:
                want = min(size + 1, CHUNK)
                while True:
                    chunk = os.read(fd, want)
                    if not chunk:
                        break
                    md5.update(chunk)
                    sha1.update(chunk)
                    sha256.update(chunk)
                    n += len(chunk)
                    want = 1 << 12 if n == size < CHUNK else CHUNK
            finally:
                os.close(fd)
        except OSError as exc:
            out.append(("", "", "", n, exc.strerror))
            continue
        out.append((md5.hexdigest(), sha1.hexdigest(), sha256.hexdigest(), n, None))
    return out


def _path_batches(root: Path):  # noqa: ANN202 - generator of path batches
    source = open_source(str(root))
    base = os.fsencode(root)
    batch: list[tuple[bytes, int]] = []
    held = 0
    for ef in source.walk():
        if ef.opener is None:
            continue
        item = (os.path.join(base, os.fsencode(ef.path)), ef.size)
        if ef.size >= CHUNK:
            yield [item]
            continue
        batch.append(item)
        held += ef.size
        if len(batch) >= 256 or held >= CHUNK:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch
    source.close()


def processes(root: Path, jobs: int) -> tuple[float, int, float]:
    """(e): walk in this process, open/read/hash in ``jobs`` worker processes."""
    t0 = time.perf_counter()
    c0 = os.times()
    nbytes = 0
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for results in pool.imap_unordered(_hash_paths, _path_batches(root)):
            nbytes += sum(r[3] for r in results)
    wall = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.user + c1.system + c1.children_user + c1.children_system) - (
        c0.user + c0.system + c0.children_user + c0.children_system
    )
    return wall, nbytes, cpu / wall


def end_to_end(root: Path, jobs: int, scratch: Path) -> float:
    """Seconds for the whole ``triage run`` (no perceptual hashing, no hash sets)."""
    out = scratch / "e2e-out"
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    triage_run(RunOptions(source=str(root), out=str(out), jobs=jobs, perceptual=False))
    wall = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    return wall


def hashdeep(root: Path) -> float | None:
    """hashdeep with its default thread count (``-j`` defaults to the number of CPUs)."""
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
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians reported")
    ap.add_argument("--end-to-end", action="store_true", help="also time the whole triage run")
    ap.add_argument(
        "--processes", action="store_true", help="also time the worker-process prototype (e)"
    )
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
    t_one: list[float] = []
    t_ours: list[float] = []
    cpu: list[float] = []
    t_hd: list[float] = []
    t_e2e: list[float] = []
    t_proc: list[float] = []
    cpu_proc: list[float] = []
    load0 = os.getloadavg()[0]
    for _ in range(args.rounds):
        t_one.append(limit_single_core(files))
        wall, nbytes, used = ours(root, cores)
        assert nbytes == total, (nbytes, total)
        t_ours.append(wall)
        cpu.append(used)
        hd = hashdeep(root)
        if hd is not None:
            t_hd.append(hd)
        if args.end_to_end:
            t_e2e.append(end_to_end(root, cores, Path(args.dir)))
        if args.processes:
            wall, nbytes, used = processes(root, cores)
            assert nbytes == total, (nbytes, total)
            t_proc.append(wall)
            cpu_proc.append(used)
    limit = mib / median(t_one) * cores
    ours_rate = mib / median(t_ours)
    print(f"tree: {len(files)} files, {mib:.1f} MiB, cores used: {cores}")
    print(f"rounds: {args.rounds} (medians); load average before: {load0:.2f}")
    print(f"(a) limit: single core {mib / median(t_one):.0f} MiB/s x {cores} = {limit:.0f} MiB/s")
    print(f"    single-core runs (s): {_fmt(t_one)}")
    print(f"(b) comeforward-triage hashing: {ours_rate:.0f} MiB/s ({median(t_ours):.2f} s)")
    print(f"    runs (s): {_fmt(t_ours)}; cpu/wall: {_fmt(cpu)}")
    print(f"    = {100 * ours_rate / limit:.1f} % of the limit (target >= 85 %)")
    if t_hd:
        hd_rate = mib / median(t_hd)
        print(f"(c) hashdeep -c md5,sha1,sha256 -r (default -j): {hd_rate:.0f} MiB/s")
        print(f"    runs (s): {_fmt(t_hd)}")
        print(f"    ratio ours / hashdeep = {ours_rate / hd_rate:.2f}x (target >= 2.5x)")
    else:
        print("(c) hashdeep not installed (apt hashdeep)")
    if t_proc:
        proc_rate = mib / median(t_proc)
        print(f"(e) worker-process prototype: {proc_rate:.0f} MiB/s ({median(t_proc):.2f} s)")
        print(f"    runs (s): {_fmt(t_proc)}; cpu/wall: {_fmt(cpu_proc)}")
        print(f"    = {100 * proc_rate / limit:.1f} % of the limit", end="")
        print(f"; vs hashdeep {proc_rate / hd_rate:.2f}x" if t_hd else "")
    if t_e2e:
        e2e_rate = mib / median(t_e2e)
        print(f"(d) whole triage run (reports included): {e2e_rate:.0f} MiB/s")
        print(f"    runs (s): {_fmt(t_e2e)}; = {100 * e2e_rate / limit:.1f} % of the limit")


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
