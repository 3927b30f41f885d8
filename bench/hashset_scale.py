"""Benchmark: compile / open / look up a large MD5 reference set (.cfhs).

Generates N seeded random MD5 digests written as a real ``md5sum`` file (``HEX␠␠NAME``,
52 bytes/line) and compiles it through the normal md5sum parser (its numpy fast path — no
special benchmark path). Then opens the set and runs 1 M lookups (half hits) through
``lookup_many``. Prints time, peak RSS (VmHWM, reset per step via /proc/self/clear_refs) and
anonymous RSS for each step, bytes per entry, and ratios against peers measured in the same run:

* compile vs GNU ``sort -u`` of the same file (``LC_ALL=C sort -u -S 1G --parallel=2``);
* lookups vs a Python ``set`` of the same digests (built at min(N, --peer-max) entries).

Usage: ``uv run python bench/hashset_scale.py --entries 100000000 --dir /tmp/hsbench``
(forensic-triage.md §3.2 / §4: sorted array + searchsorted measured at 0.5 M/s random, 4.6 M/s
sorted over 100 M keys).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
from comeforward_triage.hashsets import compile_hashset, open_hashset

HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
LINE = 52  # 32 hex + "  " + "f%012d.jpg" (17) + "\n"


def status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0]) * 1024
    return out


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def write_md5sum(path: Path, n: int, seed: int, chunk: int = 2_000_000) -> None:
    rng = np.random.default_rng(seed)
    names = np.frombuffer(b"  f", dtype=np.uint8)
    with open(path, "wb") as fh:
        for lo in range(0, n, chunk):
            m = min(chunk, n - lo)
            digests = rng.integers(0, 256, size=(m, 16), dtype=np.uint8)
            buf = np.empty((m, LINE), dtype=np.uint8)
            buf[:, 0:32:2] = HEX[digests >> 4]
            buf[:, 1:32:2] = HEX[digests & 15]
            buf[:, 32:35] = names
            idx = np.arange(lo, lo + m, dtype=np.int64)
            for d in range(12):  # 12 decimal digits of the index
                buf[:, 46 - d] = 48 + (idx // 10**d) % 10
            buf[:, 47:51] = np.frombuffer(b".jpg", dtype=np.uint8)
            buf[:, 51] = 10
            fh.write(buf.tobytes())


def queries(n: int, seed: int, count: int) -> np.ndarray:
    """``count`` queries: half drawn from the set (regenerated from the seed), half random."""
    rng = np.random.default_rng(seed)
    hits_idx = np.sort(np.random.default_rng(seed + 1).choice(n, size=count // 2, replace=False))
    hits = np.empty((count // 2, 16), dtype=np.uint8)
    chunk, filled = 2_000_000, 0
    for lo in range(0, n, chunk):
        m = min(chunk, n - lo)
        block = rng.integers(0, 256, size=(m, 16), dtype=np.uint8)
        sel = hits_idx[(hits_idx >= lo) & (hits_idx < lo + m)] - lo
        hits[filled : filled + len(sel)] = block[sel]
        filled += len(sel)
    misses = np.random.default_rng(seed + 2).integers(
        0, 256, size=(count - count // 2, 16), dtype=np.uint8
    )
    q = np.concatenate([hits, misses])
    return q[np.random.default_rng(seed + 3).permutation(len(q))]


def step(label: str, fn):
    reset_peak()
    before = status()
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    after = status()
    print(
        f"{label:<28} {elapsed:9.2f} s   peak RSS {gib(after['VmHWM'])}   "
        f"anon RSS {gib(after['RssAnon'])} (Δ {gib(after['RssAnon'] - before['RssAnon'])})",
        flush=True,
    )
    return result, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000_000)
    ap.add_argument("--lookups", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20240301)
    ap.add_argument("--dir", default="/tmp/cfhs-bench")
    ap.add_argument("--peer-max", type=int, default=10_000_000, help="largest Python set built")
    ap.add_argument("--no-sort-peer", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    src, out = work / "bench.md5", work / "bench.cfhs"
    n = args.entries
    print(
        f"entries {n:,}  lookups {args.lookups:,} (half hits)  seed {args.seed}"
        f"  cpus {os.cpu_count()}"
    )

    step("generate md5sum file", lambda: write_md5sum(src, n, args.seed))
    print(f"  input: {src.stat().st_size / 2**30:.2f} GiB md5sum text")
    info, t_compile = step(
        "compile (md5sum parser)",
        lambda: compile_hashset(src, "md5sum", out=out, profile="uncategorised"),
    )
    size = out.stat().st_size
    print(
        f"  output: {gib(size)}, {size / info['entries']['md5']:.2f} bytes/entry, "
        f"{info['entries']['md5']:,} unique ({info['duplicates_merged']} duplicates merged)"
    )
    print(f"  compile rate: {n / t_compile / 1e6:.2f} M entries/s")

    q = queries(n, args.seed, args.lookups)
    rs, t_open = step("open", lambda: open_hashset(out))
    got, t_look = step("lookup_many 1st (cold-ish)", lambda: rs.lookup_many("md5", q))
    hits = int((got >= 0).sum())
    got, t_look = step("lookup_many (warm)", lambda: rs.lookup_many("md5", q))
    print(
        f"  hits {hits:,} of {len(q):,} (expected {len(q) // 2:,}); "
        f"{len(q) / t_look / 1e6:.2f} M lookups/s"
    )
    _, t_verify = step("verify (full checksum)", rs.verify)
    _, t_sha = step("sha256 (cached by verify)", lambda: rs.sha256)

    peer_n = min(n, args.peer_max)
    rng = np.random.default_rng(args.seed)
    digests = np.concatenate(
        [
            rng.integers(0, 256, size=(min(2_000_000, peer_n - lo), 16), dtype=np.uint8)
            for lo in range(0, peer_n, 2_000_000)
        ]
    )
    py_set, _ = step(f"peer: python set ({peer_n:,})", lambda: {bytes(r) for r in digests})
    q_bytes = [bytes(r) for r in q]
    _, t_set = step("peer: set lookups", lambda: sum(1 for x in q_bytes if x in py_set))
    peer_set_rs = open_hashset(out)
    print(
        f"RATIO lookups: cfhs {t_look:.3f} s vs python set {t_set:.3f} s "
        f"(set of {peer_n:,}) → cfhs takes {t_look / t_set:.2f}× the set's time"
    )
    peer_set_rs.close()

    if not args.no_sort_peer and shutil.which("sort"):

        def run_sort() -> None:
            subprocess.run(
                [
                    "sort",
                    "-u",
                    "-S",
                    "1G",
                    "--parallel=2",
                    "-o",
                    str(work / "sorted.txt"),
                    str(src),
                ],
                check=True,
                env={**os.environ, "LC_ALL": "C"},
            )

        _, t_sort = step("peer: LC_ALL=C sort -u", run_sort)
        (work / "sorted.txt").unlink(missing_ok=True)
        print(
            f"RATIO compile: cfhs {t_compile:.1f} s vs sort -u {t_sort:.1f} s"
            f" → {t_compile / t_sort:.2f}×"
        )
    rs.close()
    print(
        f"SUMMARY entries={n} compile_s={t_compile:.2f} open_s={t_open:.4f} "
        f"lookup_s={t_look:.3f} verify_s={t_verify:.2f} bytes_per_entry={size / n:.2f}"
    )
    if not args.keep:
        src.unlink(missing_ok=True)
        out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
