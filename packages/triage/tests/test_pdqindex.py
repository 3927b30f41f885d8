"""Multi-index-hashing radius search: exactness against brute force and faiss IndexBinaryFlat."""

from __future__ import annotations

import numpy as np
import pytest
from comeforward_triage.errors import InvalidArguments
from comeforward_triage.pdqindex import (
    DEFAULT_RADIUS,
    PdqIndex,
    SearchResult,
    default_substrings,
    flat_search,
)
from hypothesis import given, settings
from hypothesis import strategies as st

faiss = pytest.importorskip("faiss")


def _random(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 256, (n, 32), dtype=np.uint8)


def _flip(codes: np.ndarray, n_bits: np.ndarray | int, rng: np.random.Generator) -> np.ndarray:
    """Copy of ``codes`` with exactly ``n_bits`` distinct bits flipped in each row."""
    bits = np.unpackbits(codes, axis=1)
    counts = np.broadcast_to(np.asarray(n_bits), (codes.shape[0],))
    for row, k in enumerate(counts):
        bits[row, rng.choice(256, size=int(k), replace=False)] ^= 1
    return np.packbits(bits, axis=1)


def _faiss_set(refs: np.ndarray, queries: np.ndarray, radius: int) -> set[tuple[int, int, int]]:
    index = faiss.IndexBinaryFlat(256)
    index.add(refs)
    lims, dist, ids = index.range_search(queries, radius + 1)  # faiss: distance < radius
    out = set()
    for q in range(queries.shape[0]):
        for k in range(lims[q], lims[q + 1]):
            out.add((q, int(ids[k]), int(dist[k])))
    return out


def _assert_exact(refs: np.ndarray, queries: np.ndarray, radius: int, **build: int) -> SearchResult:
    got = PdqIndex.build(refs, **build).search(queries, radius)
    brute = flat_search(refs, queries, radius)
    for ours, theirs in zip(got, brute, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert got.as_set() == _faiss_set(refs, queries, radius)
    return got


@pytest.fixture(scope="module")
def random_bank() -> np.ndarray:
    return _random(np.random.default_rng(11), 30_000)


def test_random_bank_with_planted_neighbours_is_exact(random_bank: np.ndarray) -> None:
    rng = np.random.default_rng(12)
    picks = rng.integers(0, random_bank.shape[0], 400)
    distances = rng.integers(0, 45, 400)
    queries = np.concatenate([_flip(random_bank[picks], distances, rng), _random(rng, 100)])
    got = _assert_exact(random_bank, queries, DEFAULT_RADIUS)
    within = int((distances <= DEFAULT_RADIUS).sum())
    assert len(got) == within  # random 256-bit codes are ~128 bits apart: only planted ones
    assert set(got.ref_idx.tolist()) == set(picks[distances <= DEFAULT_RADIUS].tolist())


def test_boundary_distance_31_in_32_out(random_bank: np.ndarray) -> None:
    rng = np.random.default_rng(13)
    refs = random_bank[:1000]
    at_31 = _flip(refs[:50], 31, rng)
    at_32 = _flip(refs[50:100], 32, rng)
    got = PdqIndex.build(refs).search(np.concatenate([at_31, at_32]))
    assert got.query_idx.tolist() == list(range(50))
    assert got.ref_idx.tolist() == list(range(50))
    assert got.distance.tolist() == [31] * 50


@pytest.mark.parametrize("substrings", [11, 12, 16, 21, 32])
@pytest.mark.parametrize("radius", [0, 1, 10, 31, 40])
def test_exact_for_every_substring_count_and_radius(substrings: int, radius: int) -> None:
    rng = np.random.default_rng(substrings * 100 + radius)
    refs = _random(rng, 3000)
    queries = np.concatenate(
        [_flip(refs[:200], rng.integers(0, radius + 3, 200), rng), _random(rng, 20)]
    )
    _assert_exact(refs, queries, radius, substrings=substrings)


def test_clustered_bank_worst_case_is_exact() -> None:
    """Many near-duplicates around a few centres: huge buckets, many results (research §3.1)."""
    rng = np.random.default_rng(14)
    centres = _random(rng, 6)
    members = np.concatenate(
        [
            _flip(np.repeat(centres[c : c + 1], 1500, axis=0), rng.integers(0, 24, 1500), rng)
            for c in range(6)
        ]
    )
    refs = np.concatenate([members, _random(rng, 5000)])
    queries = np.concatenate(
        [centres, _flip(np.repeat(centres, 20, axis=0), rng.integers(10, 40, 120), rng)]
    )
    got = _assert_exact(refs, queries, DEFAULT_RADIUS)
    assert len(got) > 6 * 1500  # every centre finds its whole cluster, at least


def test_low_entropy_and_duplicate_references() -> None:
    zeros = np.zeros((50, 32), dtype=np.uint8)
    ones = np.full((50, 32), 255, dtype=np.uint8)
    one_bit = zeros.copy()
    one_bit[:, 31] = 1
    refs = np.concatenate([zeros, ones, one_bit])
    got = _assert_exact(refs, np.concatenate([zeros[:1], ones[:1]]), DEFAULT_RADIUS)
    assert got.query_idx.tolist() == [0] * 100 + [1] * 50
    assert got.ref_idx.tolist() == list(range(50)) + list(range(100, 150)) + list(range(50, 100))
    assert got.distance.tolist() == [0] * 50 + [1] * 50 + [0] * 50


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 300),
    radius=st.integers(0, 64),
    substrings=st.sampled_from([11, 13, 16, 32]),
)
def test_property_matches_brute_force(seed: int, n: int, radius: int, substrings: int) -> None:
    rng = np.random.default_rng(seed)
    refs = _random(rng, n)
    queries = _flip(refs[rng.integers(0, n, 30)], rng.integers(0, radius + 5, 30), rng)
    got = PdqIndex.build(refs, substrings=substrings).search(queries, radius, batch=7)
    assert got.as_set() == flat_search(refs, queries, radius).as_set()


def test_batches_do_not_change_results(random_bank: np.ndarray) -> None:
    rng = np.random.default_rng(15)
    queries = _flip(random_bank[:300], rng.integers(0, 35, 300), rng)
    index = PdqIndex.build(random_bank)
    whole = index.search(queries)
    for batch in (1, 17, 1000):
        parts = index.search(queries, batch=batch)
        for a, b in zip(whole, parts, strict=True):
            np.testing.assert_array_equal(a, b)


def test_large_radius_falls_back_to_scan_and_stays_exact() -> None:
    rng = np.random.default_rng(16)
    refs = _random(rng, 500)
    queries = _random(rng, 10)
    got = PdqIndex.build(refs).search(queries, 120)
    assert got.as_set() == _faiss_set(refs, queries, 120)
    assert len(got) > 0


def test_memory_bytes_counts_codes_offsets_and_postings() -> None:
    refs = _random(np.random.default_rng(17), 1000)
    index = PdqIndex.build(refs, substrings=16)
    assert index.widths == (16,) * 16
    # 32 B codes + 16 tables x ((2**16 + 1) uint32 offsets + 1000 uint32 postings)
    assert index.memory_bytes() == 32 * 1000 + 16 * ((2**16 + 1) * 4 + 1000 * 4)


@pytest.mark.parametrize(
    ("n", "m"), [(1, 32), (1000, 26), (65_536, 16), (10_000_000, 12), (10**9, 11)]
)
def test_default_substrings_follow_log2_n(n: int, m: int) -> None:
    assert default_substrings(n) == m


def test_widths_cover_all_256_bits() -> None:
    index = PdqIndex.build(_random(np.random.default_rng(18), 10), substrings=12)
    assert sum(index.widths) == 256
    assert index.widths == (22,) * 4 + (21,) * 8


def test_empty_index_and_empty_queries() -> None:
    empty = np.zeros((0, 32), dtype=np.uint8)
    some = _random(np.random.default_rng(19), 5)
    assert len(PdqIndex.build(empty).search(some)) == 0
    assert len(PdqIndex.build(some).search(empty)) == 0
    assert len(PdqIndex.build(empty)) == 0


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((3, 31), dtype=np.uint8),
        np.zeros((3, 32), dtype=np.int64),
        np.zeros(32, dtype=np.uint8),
        [[0] * 32],
    ],
    ids=["31-bytes", "int64", "1-d", "list"],
)
def test_malformed_arrays_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidArguments) as caught:
        PdqIndex.build(bad)  # type: ignore[arg-type]
    assert caught.value.code == "INVALID_ARGUMENTS"
    index = PdqIndex.build(np.zeros((1, 32), dtype=np.uint8))
    with pytest.raises(InvalidArguments):
        index.search(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("radius", [-1, 257, 3.5])
def test_bad_radius_rejected(radius: object) -> None:
    index = PdqIndex.build(np.zeros((1, 32), dtype=np.uint8))
    with pytest.raises(InvalidArguments):
        index.search(np.zeros((1, 32), dtype=np.uint8), radius)  # type: ignore[arg-type]


@pytest.mark.parametrize("substrings", [10, 33, 2.0])
def test_bad_substring_count_rejected(substrings: object) -> None:
    with pytest.raises(InvalidArguments):
        PdqIndex.build(np.zeros((1, 32), dtype=np.uint8), substrings=substrings)  # type: ignore[arg-type]
