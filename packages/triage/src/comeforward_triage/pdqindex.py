"""Exact radius search over 256-bit PDQ hashes with multi-index hashing (MIH).

Finds *every* reference hash within Hamming distance ``radius`` (default 31, the PDQ match
threshold, research ``forensic-triage.md`` §2.2) of each query — the same result set as a
linear popcount scan (faiss ``IndexBinaryFlat``), found by looking at a small fraction of the
references (research §3.1; Norouzi, Punjani & Fleet, "Fast exact search in Hamming space with
multi-index hashing", TPAMI 2014, arXiv:1307.2982).

How it works:

* The 256 bits are cut into ``m`` contiguous substrings of ``w ≈ 256 / m`` bits (``w ≤ 24``);
  for each substring a direct-addressed table (CSR: ``offsets[2**w + 1]`` into a posting list
  of reference ids sorted by substring value) is built.
* Pigeonhole (Norouzi et al., Proposition 1): with ``radius = s·m + a`` (``0 ≤ a < m``), any
  hash within ``radius`` has one of the first ``a + 1`` substrings within ``s`` bits of the
  query's, or one of the other substrings within ``s − 1`` bits. So a query enumerates the
  keys within that many bit flips of each of its substrings and collects the postings.
* Every candidate is verified with an exact 256-bit popcount in numpy; pairs found through
  several substrings are de-duplicated. No candidate within the radius can be missed, so the
  search is exact, whatever the data distribution (tested against brute force and faiss).

``m`` defaults to ``ceil(256 / round(log2 N))`` (so each bucket holds about one reference on
uniform data, Norouzi et al. §4), bounded to 24-bit substrings. Near-duplicate clusters make
some buckets large, which costs time, never correctness.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np

from comeforward_triage.errors import InvalidArguments

__all__ = ["DEFAULT_RADIUS", "PdqIndex", "SearchResult", "flat_search"]

DEFAULT_RADIUS = 31
HASH_BYTES = 32
MAX_SUBSTRING_BITS = 24
MIN_SUBSTRING_BITS = 8
#: Above this many table probes per query, a linear scan is used instead (still exact).
MAX_KEYS_PER_QUERY = 50_000
#: Queries processed together; bounds the candidate arrays held at once.
DEFAULT_BATCH = 1024


class SearchResult(NamedTuple):
    """All (query, reference) pairs within the radius, sorted by query then reference."""

    query_idx: np.ndarray  # int64
    ref_idx: np.ndarray  # int64
    distance: np.ndarray  # int16

    def __len__(self) -> int:  # type: ignore[override]
        return int(self.query_idx.shape[0])

    def as_set(self) -> set[tuple[int, int, int]]:
        return set(
            zip(self.query_idx.tolist(), self.ref_idx.tolist(), self.distance.tolist(), strict=True)
        )


@dataclass(frozen=True, slots=True)
class _Table:
    start: int  # first bit (0 = most significant bit of byte 0)
    width: int
    offsets: np.ndarray  # uint32/int64 [2**width + 1]
    postings: np.ndarray  # uint32/int64 [N]


class PdqIndex:
    """Multi-index hash table over ``N`` reference hashes (``uint8 [N, 32]``, big-endian).

    Build with :meth:`build`; :meth:`search` is read-only and may be called repeatedly.
    """

    def __init__(self, words: np.ndarray, tables: tuple[_Table, ...]):
        self._words = words
        self._tables = tables

    # ------------------------------------------------------------------ construction

    @classmethod
    def build(cls, hashes: np.ndarray, *, substrings: int | None = None) -> PdqIndex:
        """Index ``hashes`` (``uint8 [N, 32]``, row ``i`` = bytes of reference ``i``)."""
        words = _as_words(hashes, "hashes")
        n = words.shape[0]
        m = substrings if substrings is not None else default_substrings(n)
        if not isinstance(m, int) or not math.ceil(256 / MAX_SUBSTRING_BITS) <= m <= 32:
            raise InvalidArguments(
                "substrings must be an integer from 11 to 32",
                details={"substrings": repr(substrings)},
            )
        id_dtype = np.uint32 if n < 2**32 else np.int64
        tables = []
        start = 0
        for width in _split_widths(m):
            keys = _substring(words, start, width)
            postings = np.argsort(keys, kind="stable").astype(id_dtype)
            counts = np.bincount(keys, minlength=1 << width)
            offsets = np.zeros((1 << width) + 1, dtype=id_dtype)
            np.cumsum(counts, out=offsets[1:])
            tables.append(_Table(start, width, offsets, postings))
            start += width
        return cls(words, tuple(tables))

    # ------------------------------------------------------------------ properties

    def __len__(self) -> int:
        return int(self._words.shape[0])

    @property
    def substrings(self) -> int:
        return len(self._tables)

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(t.width for t in self._tables)

    def memory_bytes(self) -> int:
        """Bytes held by the index: codes, offset tables and posting lists."""
        return int(
            self._words.nbytes + sum(t.offsets.nbytes + t.postings.nbytes for t in self._tables)
        )

    # ------------------------------------------------------------------ search

    def search(
        self, queries: np.ndarray, radius: int = DEFAULT_RADIUS, *, batch: int = DEFAULT_BATCH
    ) -> SearchResult:
        """Every ``(query_idx, ref_idx, distance)`` with ``distance ≤ radius``; exact."""
        qwords = _as_words(queries, "queries")
        if not isinstance(radius, int) or not 0 <= radius <= 256:
            raise InvalidArguments(
                "radius must be an integer from 0 to 256", details={"radius": repr(radius)}
            )
        if batch < 1:
            raise InvalidArguments("batch must be at least 1", details={"batch": batch})
        if len(self) == 0 or qwords.shape[0] == 0:
            return _empty()
        flips = self._flips_per_table(radius)
        keys_per_query = sum(
            _mask_count(t.width, f) for t, f in zip(self._tables, flips, strict=True)
        )
        if keys_per_query > MAX_KEYS_PER_QUERY:
            # Radius so large that enumerating substring neighbours costs more than a scan.
            return flat_search(self._words_as_bytes(), queries, radius)
        parts: list[SearchResult] = []
        for lo in range(0, qwords.shape[0], batch):
            parts.append(self._search_batch(qwords[lo : lo + batch], lo, radius, flips))
        return _concat(parts)

    def _flips_per_table(self, radius: int) -> list[int]:
        """Norouzi et al. Prop. 1: first ``a+1`` substrings at ``s`` flips, the rest ``s−1``."""
        m = len(self._tables)
        s, a = divmod(radius, m)
        return [s if j <= a else s - 1 for j in range(m)]

    def _search_batch(
        self, qwords: np.ndarray, first: int, radius: int, flips: list[int]
    ) -> SearchResult:
        found_q: list[np.ndarray] = []
        found_r: list[np.ndarray] = []
        found_d: list[np.ndarray] = []
        local = np.arange(qwords.shape[0], dtype=np.int64)
        for table, flip in zip(self._tables, flips, strict=True):
            if flip < 0:
                continue
            qkeys = _substring(qwords, table.start, table.width)
            keys = (qkeys[:, None] ^ _neighbour_masks(table.width, flip)[None, :]).ravel()
            starts = table.offsets[keys].astype(np.int64)
            counts = table.offsets[keys + 1].astype(np.int64) - starts
            total = int(counts.sum())
            if total == 0:
                continue
            pair_query = np.repeat(local, _neighbour_masks(table.width, flip).shape[0])
            # ragged gather: positions starts[k] .. starts[k] + counts[k] - 1, concatenated
            ends = np.cumsum(counts)
            pos = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - counts), counts)
            refs = table.postings[pos].astype(np.int64)
            cand_q = np.repeat(pair_query, counts)
            dist = _distances(self._words[refs], qwords[cand_q])
            keep = dist <= radius
            found_q.append(cand_q[keep] + first)
            found_r.append(refs[keep])
            found_d.append(dist[keep])
        if not found_q:
            return _empty()
        q = np.concatenate(found_q)
        r = np.concatenate(found_r)
        d = np.concatenate(found_d)
        pair_key = q * max(len(self), 1) + r
        _, first_seen = np.unique(pair_key, return_index=True)  # sorted by (query, ref)
        return SearchResult(q[first_seen], r[first_seen], d[first_seen].astype(np.int16))

    def _words_as_bytes(self) -> np.ndarray:
        return self._words.astype(">u8").view(np.uint8).reshape(-1, HASH_BYTES)


# ---------------------------------------------------------------------- brute force


def flat_search(
    hashes: np.ndarray, queries: np.ndarray, radius: int = DEFAULT_RADIUS, *, chunk: int = 1 << 22
) -> SearchResult:
    """Linear popcount scan: the exact result by definition (used to check :class:`PdqIndex`).

    Cost ``N × Q`` comparisons; fine for small banks, tests and verification.
    """
    refs = _as_words(hashes, "hashes")
    qwords = _as_words(queries, "queries")
    if not isinstance(radius, int) or not 0 <= radius <= 256:
        raise InvalidArguments(
            "radius must be an integer from 0 to 256", details={"radius": repr(radius)}
        )
    if refs.shape[0] == 0 or qwords.shape[0] == 0:
        return _empty()
    step = max(1, chunk // refs.shape[0])
    parts = []
    for lo in range(0, qwords.shape[0], step):
        block = qwords[lo : lo + step]
        dist = np.zeros((block.shape[0], refs.shape[0]), dtype=np.int16)
        for w in range(4):
            dist += np.bitwise_count(block[:, w, None] ^ refs[None, :, w]).astype(np.int16)
        qi, ri = np.nonzero(dist <= radius)
        parts.append(SearchResult(qi.astype(np.int64) + lo, ri.astype(np.int64), dist[qi, ri]))
    return _concat(parts)


# ---------------------------------------------------------------------- helpers


def default_substrings(n: int) -> int:
    """``ceil(256 / b)`` with ``b = round(log2 n)`` bounded to 8..24 bits (Norouzi et al. §4)."""
    bits = round(math.log2(max(n, 2)))
    bits = min(MAX_SUBSTRING_BITS, max(MIN_SUBSTRING_BITS, bits))
    return min(32, math.ceil(256 / bits))


def _split_widths(m: int) -> list[int]:
    base, extra = divmod(256, m)
    return [base + 1 if j < extra else base for j in range(m)]


def _as_words(hashes: np.ndarray, name: str) -> np.ndarray:
    """``uint8 [N, 32]`` big-endian bytes → ``uint64 [N, 4]`` (word 0 = bits 255..192)."""
    arr = np.asarray(hashes)
    if arr.dtype != np.uint8 or arr.ndim != 2 or arr.shape[1] != HASH_BYTES:
        raise InvalidArguments(
            f"{name} must be a uint8 array of shape [N, 32]",
            details={"dtype": str(arr.dtype), "shape": list(arr.shape)},
        )
    return np.ascontiguousarray(arr).view(">u8").astype(np.uint64)


def _substring(words: np.ndarray, start: int, width: int) -> np.ndarray:
    """Bits ``start .. start+width-1`` (MSB-first numbering) of each row, as int64."""
    word, offset = divmod(start, 64)
    if offset + width <= 64:
        value = words[:, word] >> np.uint64(64 - offset - width)
    else:
        low_bits = offset + width - 64
        value = (words[:, word] << np.uint64(low_bits)) | (
            words[:, word + 1] >> np.uint64(64 - low_bits)
        )
    return (value & np.uint64((1 << width) - 1)).astype(np.int64)


@lru_cache(maxsize=128)
def _neighbour_masks(width: int, flips: int) -> np.ndarray:
    """All ``width``-bit masks with at most ``flips`` bits set (XOR neighbours of a key)."""
    masks = [0]
    for k in range(1, flips + 1):
        masks.extend(sum(1 << b for b in bits) for bits in combinations(range(width), k))
    out = np.array(masks, dtype=np.int64)
    out.setflags(write=False)
    return out


def _mask_count(width: int, flips: int) -> int:
    return sum(math.comb(width, k) for k in range(flips + 1))


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    x = np.bitwise_xor(a, b)
    return np.bitwise_count(x).sum(axis=1, dtype=np.int16)


def _empty() -> SearchResult:
    return SearchResult(
        np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int16)
    )


def _concat(parts: list[SearchResult]) -> SearchResult:
    if not parts:
        return _empty()
    return SearchResult(
        np.concatenate([p.query_idx for p in parts]),
        np.concatenate([p.ref_idx for p in parts]),
        np.concatenate([p.distance for p in parts]),
    )
