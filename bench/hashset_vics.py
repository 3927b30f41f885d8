"""``hashset compile`` of a large VICS 2.0 file: ijson's C tokeniser vs the pure-Python walker
(issue 16 item 6), measured in the same run.

Generates (seeded) a VICS 2.0 hash set of N media records (default 200,000; MediaID, Category
0-3, MD5, SHA1, IsPrecategorized, MediaFiles with a file name; indented as suppliers export
them), then compiles it with the ``numeric-abc`` profile, in interleaved rounds, both ways:
  (a) the default: ``jsonstream.iter_records`` over ijson (yajl2_c) events;
  (b) the pure-Python walker (``json.JSONDecoder.raw_decode`` per value), the path before.
Prints the medians, records per second and the ratio; checks both give the same entries.

    uv run python bench/hashset_vics.py [--records 200000] [--rounds 3] [--dir /tmp/vics-bench]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import time
from pathlib import Path
from statistics import median
from unittest import mock

from comeforward_triage.hashsets import compile_hashset
from comeforward_triage.hashsets.formats import jsonstream

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


def compile_once(src: Path, out: Path, *, ijson: bool) -> tuple[float, dict]:
    if out.exists():
        out.unlink()
    patch = mock.patch.object(jsonstream, "_ijson", return_value=None) if not ijson else None
    t0 = time.perf_counter()
    if patch is not None:
        with patch:
            info = compile_hashset(src, "vics", out=out, profile="numeric-abc")
    else:
        info = compile_hashset(src, "vics", out=out, profile="numeric-abc")
    return time.perf_counter() - t0, info


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
    fast: list[float] = []
    slow: list[float] = []
    infos = []
    load0 = os.getloadavg()[0]
    for _ in range(args.rounds):
        t, info = compile_once(src, base / "a.cfhs", ijson=True)
        fast.append(t)
        infos.append(info)
        t, info = compile_once(src, base / "b.cfhs", ijson=False)
        slow.append(t)
        infos.append(info)
    keys = ("entries", "categories", "source")
    same = all({k: i.get(k) for k in keys} == {k: infos[0].get(k) for k in keys} for i in infos)
    size = src.stat().st_size / (1 << 20)
    print(f"VICS 2.0 file: {args.records:,} records, {size:.1f} MiB")
    print(
        f"rounds: {args.rounds} (medians); load average {load0:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    print(
        f"(a) ijson ({jsonstream._ijson().backend}): {median(fast):.2f} s "
        f"({args.records / median(fast):,.0f} records/s); runs: {_fmt(fast)}"
    )
    print(
        f"(b) pure-Python walker: {median(slow):.2f} s "
        f"({args.records / median(slow):,.0f} records/s); runs: {_fmt(slow)}"
    )
    print(
        f"    (b) / (a) = {median(slow) / median(fast):.2f}x; same entries and categories: {same}"
    )
    print(f"entries: {infos[0]['entries']}")


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
