"""Benchmark: exact PDQ radius search, our multi-index hashing vs faiss IndexBinaryFlat.

Reference bank: N random 256-bit hashes (uniform: the *best* case for MIH, research
``forensic-triage.md`` §3.1). Device side: Q image hashes, 1 % of them planted within
distance ≤ 30 of a bank hash, each queried with its 8 dihedral variants (bit-level, as
``perceptual.dihedral_variants``), so 8·Q queries at radius 31.

faiss scans every bank hash per query (~1 G comparisons/s/core), so it is timed on a subset
of the queries (``--faiss-queries``) and its full-run time is extrapolated linearly; the result
sets on that subset must be identical. Both run on one thread unless ``--threads``.

    uv run python bench/pdq_radius.py                       # 10 M bank, 100 k images x 8
    uv run python bench/pdq_radius.py --refs 1000000 --queries 10000
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def _dihedral_bits(codes: np.ndarray) -> np.ndarray:
    """``[Q, 32]`` → ``[Q * 8, 32]``: the 8 bit-level dihedral variants of each hash."""
    bits = np.unpackbits(codes, axis=1)[:, ::-1].reshape(-1, 16, 16).astype(bool)  # bit 16i+j
    idx = np.arange(16)
    even_r = np.broadcast_to((idx % 2 == 0)[:, None], (16, 16))
    even_c = even_r.T
    odd = ((idx[:, None] + idx[None, :]) % 2) == 1
    t = bits.transpose(0, 2, 1)
    variants = [bits, t ^ even_r, bits ^ odd, t ^ even_c, bits ^ even_r, bits ^ even_c, t, t ^ odd]
    stacked = np.stack(variants, axis=1).reshape(-1, 256)[:, ::-1]
    return np.packbits(stacked.astype(np.uint8), axis=1)


def _plant(bank: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    picks = rng.integers(0, bank.shape[0], count)
    bits = np.unpackbits(bank[picks], axis=1)
    for row, k in enumerate(rng.integers(0, 31, count)):
        bits[row, rng.choice(256, size=int(k), replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--refs", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=100_000, help="device images (x8 variants)")
    parser.add_argument("--faiss-queries", type=int, default=2_000)
    parser.add_argument("--radius", type=int, default=31)
    parser.add_argument("--substrings", type=int, default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    import faiss
    from comeforward_triage.pdqindex import PdqIndex

    faiss.omp_set_num_threads(args.threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    rng = np.random.default_rng(args.seed)
    bank = rng.integers(0, 256, (args.refs, 32), dtype=np.uint8)
    planted = max(1, args.queries // 100)
    device = np.concatenate(
        [
            _plant(bank, planted, rng),
            rng.integers(0, 256, (args.queries - planted, 32), dtype=np.uint8),
        ]
    )
    queries = _dihedral_bits(device)
    print(
        f"bank {args.refs:,} hashes; {args.queries:,} device images x 8 = "
        f"{queries.shape[0]:,} queries; radius {args.radius}; threads {args.threads}"
    )

    t0 = time.perf_counter()
    index = PdqIndex.build(bank, substrings=args.substrings)
    build_s = time.perf_counter() - t0
    mem = index.memory_bytes()
    print(
        f"MIH build: {build_s:.1f} s; {index.substrings} substrings {index.widths}; "
        f"memory {mem / 2**20:,.0f} MiB = {mem / args.refs:.1f} B per reference hash"
    )

    t0 = time.perf_counter()
    ours = index.search(queries, args.radius)
    mih_s = time.perf_counter() - t0
    mih_qps = queries.shape[0] / mih_s
    print(f"MIH search: {mih_s:.1f} s, {mih_qps:,.0f} queries/s, {len(ours):,} pairs found")

    flat = faiss.IndexBinaryFlat(256)
    flat.add(bank)
    sub = queries[: args.faiss_queries]
    t0 = time.perf_counter()
    lims, dist, ids = flat.range_search(sub, args.radius + 1)  # faiss: distance < radius
    faiss_s = time.perf_counter() - t0
    faiss_qps = sub.shape[0] / faiss_s
    theirs = {
        (q, int(ids[k]), int(dist[k]))
        for q in range(sub.shape[0])
        for k in range(lims[q], lims[q + 1])
    }
    mine = {p for p in ours.as_set() if p[0] < sub.shape[0]}
    same = mine == theirs
    print(
        f"faiss IndexBinaryFlat: {sub.shape[0]:,} queries in {faiss_s:.1f} s = "
        f"{faiss_qps:,.0f} queries/s; extrapolated full run {queries.shape[0] / faiss_qps:,.0f} s"
    )
    print(f"identical result sets on the faiss subset: {same} ({len(theirs):,} pairs)")
    print(f"RATIO MIH / faiss flat: {mih_qps / faiss_qps:.1f}x faster (target >= 5x)")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
