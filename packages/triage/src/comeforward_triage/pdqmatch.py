"""Perceptual (PDQ) matching phase of ``triage run``.

Runs once, after every file is hashed and exactly matched, over the records in memory: it
never writes the journal, so a killed and resumed run repeats it from the same inputs and
gets the same answer (idempotent; docs/interfaces.md §7 resumability).

Rules (forensic-triage.md §2.2 thresholds, §3.1 "order of operations"):

1. only image files with **no exact match** (MD5/SHA-1/SHA-256) and **not known-good** are
   queried — exact matching and known-good exclusion come first;
2. hashes of quality < 50 (``QUALITY_THRESHOLD``) are never matched; they are counted as
   ``low_quality``;
3. all eight exact dihedral variants of the device image (computed from its DCT, research
   §2.1 step 9) are searched, so rotated and mirrored copies match; querying with the device
   variants against un-rotated reference hashes is equivalent to storing eight reference
   variants at one eighth of the memory (§3.1);
4. device hashes are de-duplicated before the search (§3.1 step 4);
5. one multi-index-hashing index (:mod:`.pdqindex`, exact) is built per run over the PDQ
   entries of every reference set (memory-mapped rows), and every reference within Hamming
   distance ``radius`` (default 31, ``PDQ_CONFIDENT_MATCH_THRESHOLD``) is found;
6. the match is the most serious category (A > B > C > UNCATEGORISED, docs/interfaces.md §7),
   ties broken by the smallest distance, then by set order on the command line and entry
   order in the set (deterministic).

PDQ entries categorised ``KNOWN_GOOD`` and sets given with ``--known-good`` are not indexed:
looking *like* a known-good picture is not the same as *being* that file, so perceptual
similarity never excludes an image (exclusion stays exact-hash only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .hashing import DIHEDRAL_KEY
from .hashsets.model import CATEGORY_CODES, Entry
from .match import SEVERITY, LoadedSet, add_flags
from .pdqconst import MATCH_RADIUS, QUALITY_THRESHOLD, PdqSummary
from .pdqindex import PdqIndex

_KNOWN_GOOD_CODE = CATEGORY_CODES["KNOWN_GOOD"]
_CATEGORY_MASK = 0b111
# score = severity << 52 | distance << 40 | global reference index: smaller is better
_SEVERITY_SHIFT = 52
_DISTANCE_SHIFT = 40
_REF_MASK = (1 << _DISTANCE_SHIFT) - 1


@dataclass(frozen=True)
class _Reference:
    """The PDQ entries of all reference sets, concatenated in set order."""

    hashes: np.ndarray  # uint8 [N, 32]
    codes: np.ndarray  # int16 full code bytes (category + series/victim flags)
    set_of: np.ndarray  # int32 index into names
    names: tuple[str, ...]

    @classmethod
    def gather(cls, sets: Sequence[LoadedSet]) -> _Reference:
        hashes, codes, set_of, names = [], [], [], []
        for ls in sets:
            pdq_hashes = getattr(ls.rs, "pdq_hashes", None)  # a set type without PDQ
            if ls.known_good_only or pdq_hashes is None:
                continue
            rows, full = pdq_hashes(flags=True)
            keep = (full & _CATEGORY_MASK) != _KNOWN_GOOD_CODE
            if not keep.any():
                continue
            all_kept = bool(keep.all())
            hashes.append(rows if all_kept else rows[keep])
            codes.append(full if all_kept else full[keep])
            set_of.append(np.full(int(keep.sum()), len(names), dtype=np.int32))
            names.append(ls.name)
        if not hashes:
            return cls(
                np.empty((0, 32), np.uint8), np.empty(0, np.int16), np.empty(0, np.int32), ()
            )
        return cls(
            hashes[0] if len(hashes) == 1 else np.concatenate(hashes),
            np.concatenate(codes),
            np.concatenate(set_of),
            tuple(names),
        )


def eligible(rec: dict[str, Any]) -> bool:
    """An image with a PDQ hash of quality ≥ 50, no exact match and not known-good."""
    return (
        bool(rec.get("is_image"))
        and rec.get("match") is None
        and not rec.get("known_good")
        and rec.get("pdq") is not None
        and int(rec.get("pdq_quality") or 0) >= QUALITY_THRESHOLD
    )


def _queries(records: Sequence[dict[str, Any]]) -> np.ndarray:
    """uint8 [n, 8, 32]: the eight dihedral variants of each record (the hash itself
    repeated where a journal from an older version holds no variants)."""
    out = np.empty((len(records), 8, 32), dtype=np.uint8)
    for i, rec in enumerate(records):
        variants = rec.get(DIHEDRAL_KEY) or [rec["pdq"]] * 8
        out[i] = np.frombuffer(bytes.fromhex("".join(variants)), dtype=np.uint8).reshape(8, 32)
    return out


def match_pdq(
    records: Sequence[dict[str, Any]],
    sets: Sequence[LoadedSet],
    *,
    radius: int = MATCH_RADIUS,
    enabled: bool = True,
) -> PdqSummary:
    """Fill ``match`` (``via: "pdq"``) into eligible records and drop ``pdq_dihedral`` from all.

    *records* are the run's own copies (not the journal's), so calling this again on freshly
    loaded records gives the same result.
    """
    summary = PdqSummary(radius=radius, enabled=enabled)
    candidates = []
    for rec in records:
        if rec.get("is_image") and rec.get("match") is None and not rec.get("known_good"):
            if rec.get("pdq") is None:
                summary.not_hashed += 1
            elif int(rec.get("pdq_quality") or 0) < QUALITY_THRESHOLD:
                summary.low_quality += 1
            else:
                candidates.append(rec)
    ref = _Reference.gather(sets)
    summary.reference_hashes = len(ref.hashes)
    summary.queried = len(candidates)
    if candidates and len(ref.hashes):
        summary.matched = _search(candidates, ref, radius)
    for rec in records:
        rec.pop(DIHEDRAL_KEY, None)
    return summary


def _search(candidates: list[dict[str, Any]], ref: _Reference, radius: int) -> int:
    variants = _queries(candidates).reshape(-1, 32)
    unique, inverse = np.unique(variants, axis=0, return_inverse=True)
    found = PdqIndex.build(ref.hashes).search(unique, radius)
    if len(found) == 0:
        return 0
    severity = np.array([SEVERITY[c] for c in ("A", "B", "C", "UNCATEGORISED")], dtype=np.int64)
    categories = (ref.codes[found.ref_idx] & _CATEGORY_MASK).astype(np.int64)
    score = (
        (severity[categories] << _SEVERITY_SHIFT)
        | (found.distance.astype(np.int64) << _DISTANCE_SHIFT)
        | found.ref_idx.astype(np.int64)
    )
    none = np.iinfo(np.int64).max
    best_unique = np.full(len(unique), none, dtype=np.int64)
    np.minimum.at(best_unique, found.query_idx, score)
    best = best_unique[inverse.reshape(len(candidates), 8)].min(axis=1)
    matched = 0
    for rec, s in zip(candidates, best.tolist(), strict=True):
        if s == none:
            continue
        ref_idx = s & _REF_MASK
        entry = Entry.from_code(int(ref.codes[ref_idx]))
        match: dict[str, Any] = {
            "category": entry.category,
            "set": ref.names[int(ref.set_of[ref_idx])],
            "via": "pdq",
            "distance": (s >> _DISTANCE_SHIFT) & 0xFFF,
        }
        add_flags(match, entry)
        rec["match"] = match
        matched += 1
    return matched
