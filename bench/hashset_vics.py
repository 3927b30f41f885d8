"""``hashset compile`` of a large VICS 2.0 file: the native record scanner (``vicsscan.c``, the
default), ijson's C tokeniser with the Python record conversion, and the pure-Python walker
(issue 16 item 6), measured in the same run (wall and CPU seconds).

Generates (seeded) a VICS 2.0 hash set of N media records (default 200,000; MediaID, Category
0-3, MD5, SHA1, IsPrecategorized, MediaFiles with a file name; indented as suppliers export
them), then compiles it with the ``numeric-abc`` profile, in interleaved rounds, three ways:
  (n) the default: the native scanner converts the records in C;
  (a) the scanner off: ``jsonstream.iter_records`` over ijson (yajl2_c) events + Python records;
  (b) the pure-Python walker (``json.JSONDecoder.raw_decode`` per value), the first path.
Prints the medians, records per second and the ratios; checks all give the same set.

    uv run python bench/hashset_vics.py [--records 200000] [--rounds 3] [--dir /tmp/vics-bench]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import time
from pathlib import Path
from statistics import median
from unittest import mock

from comeforward_triage.hashsets import compile_hashset
from comeforward_triage.hashsets.formats import jsonstream, vics

CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"


def make_vics(path: Path, records: int) -> None:
    if path.exists():
        return
    rng = random.Random(16_6)
    media = []
    for i in range(records):
        seed = f"bench-{i}".encode()
        media.append(
            {
                "MediaID": i + 1,
                "Category": rng.randint(0, 3),
                "MD5": hashlib.md5(seed).hexdigest().upper(),  # noqa: S324 - generated data
                "SHA1": hashlib.sha1(seed).hexdigest().upper(),  # noqa: S324
                "IsPrecategorized": rng.random() < 0.5,
                "MediaFiles": [
                    {"FileName": f"file{i:07d}.jpg", "MediaSize": rng.randint(1, 9_999_999)}
                ],
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"@odata.context": CONTEXT, "value": media}, indent=1))


def compile_once(src: Path, out: Path, *, mode: str) -> tuple[float, float, dict]:
    if out.exists():
        out.unlink()
    patches = []
    if mode != "native":
        patches.append(mock.patch.object(vics.native, "AVAILABLE", False))
    if mode == "python":
        patches.append(mock.patch.object(jsonstream, "_ijson", return_value=None))
    for p in patches:
        p.start()
    try:
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        info = compile_hashset(src, "vics", out=out, profile="numeric-abc")
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        for p in patches:
            p.stop()
    cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    return wall, cpu, info


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/vics-bench")
    args = ap.parse_args()
    base = Path(args.dir)
    src = base / f"vics-{args.records}.json"
    make_vics(src, args.records)
    src.read_bytes()  # page cache
    modes = ("native", "ijson", "python")
    walls: dict[str, list[float]] = {m: [] for m in modes}
    cpus: dict[str, list[float]] = {m: [] for m in modes}
    contents = []
    infos = []
    load0 = os.getloadavg()[0]
    for _ in range(args.rounds):
        for mode in modes:
            out = base / f"{mode}.cfhs"
            wall, cpu, info = compile_once(src, out, mode=mode)
            walls[mode].append(wall)
            cpus[mode].append(cpu)
            infos.append(info)
            contents.append(out.read_bytes()[56:88])  # sha256 of the data region
    keys = ("entries", "categories", "source")
    same = all({k: i.get(k) for k in keys} == {k: infos[0].get(k) for k in keys} for i in infos)
    same = same and len(set(contents)) == 1
    size = src.stat().st_size / (1 << 20)
    print(f"VICS 2.0 file: {args.records:,} records, {size:.1f} MiB")
    print(
        f"rounds: {args.rounds} (medians); load average {load0:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    labels = {
        "native": "(n) native scanner (default)",
        "ijson": f"(a) ijson ({jsonstream._ijson().backend}) + Python records",
        "python": "(b) pure-Python walker",
    }
    for mode in modes:
        w, c = median(walls[mode]), median(cpus[mode])
        print(
            f"{labels[mode]}: wall {w:.2f} s, CPU {c:.2f} s "
            f"({args.records / w:,.0f} records/s); wall runs: {_fmt(walls[mode])}"
        )
    n = median(walls["native"])
    print(
        f"    (a) / (n) = {median(walls['ijson']) / n:.2f}x, (b) / (n) = "
        f"{median(walls['python']) / n:.2f}x; identical sets: {same}"
    )
    print(f"entries: {infos[0]['entries']}")


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
