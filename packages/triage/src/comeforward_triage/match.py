"""Exact-hash matching and the counting rule of docs/interfaces.md §7.

A file is looked up by SHA-256, SHA-1 and MD5 in every reference set (forensic-triage.md
§3.2: exact matching is cheap, never the bottleneck). Its ``match`` is the most serious
category found, A > B > C > UNCATEGORISED (Sentencing Council categories, §5.1); a file
matching several sets counts once. ``KNOWN_GOOD`` entries (and any hit in a set given with
``--known-good``, e.g. NSRL) only set ``known_good``. A file that is both in a known-good set
and in a categorised set keeps its category and gets a ``KNOWN_GOOD_CONFLICT`` warning.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from comeforward_triage import filetype

CATEGORIES = ("A", "B", "C", "UNCATEGORISED")
SEVERITY = {c: i for i, c in enumerate(CATEGORIES)}
ALGORITHMS = ("sha256", "sha1", "md5")


class HashEntry(Protocol):
    category: str
    series: bool | None
    victim_identified: bool | None


class ReferenceSet(Protocol):
    """What ``comeforward_triage.hashsets.open_hashset`` returns (the part used here)."""

    @property
    def path(self) -> Any: ...

    @property
    def sha256(self) -> str: ...

    @property
    def entries(self) -> dict[str, int]: ...

    @property
    def total_entries(self) -> int: ...

    def lookup(self, algorithm: str, digest: bytes) -> HashEntry | None: ...


@dataclass(frozen=True)
class LoadedSet:
    rs: ReferenceSet
    known_good_only: bool

    @property
    def name(self) -> str:
        return os.path.basename(str(self.rs.path))

    def describe(self) -> dict[str, Any]:
        return {
            "path": str(self.rs.path),
            "name": self.name,
            "sha256": self.rs.sha256,
            "entries": self.rs.total_entries,
            "entries_by_algorithm": dict(self.rs.entries),
            "role": "known_good" if self.known_good_only else "reference",
        }


def add_flags(match: dict[str, Any], entry: Any) -> None:
    """Add VICS ``Series`` / ``VictimIdentified`` (as ``series`` / ``victim_identified``) to a
    match where the reference set knows them (forensic-triage.md §1.7; unknown → absent)."""
    series = getattr(entry, "series", None)
    victim = getattr(entry, "victim_identified", None)
    if series is not None:
        match["series"] = bool(series)
    if victim is not None:
        match["victim_identified"] = bool(victim)


def match_record(rec: dict[str, Any], sets: Sequence[LoadedSet]) -> None:
    """Fill ``match``, ``known_good`` (and a conflict warning) into a hashed record.

    Exact matching only; perceptual matching runs later, once, over the records that are
    still unmatched (:mod:`.pdqmatch`)."""
    best: dict[str, Any] | None = None
    known_good = False
    if sets and rec.get("sha256") is not None:  # no sets: nothing to decode (~3 µs a file)
        digests = {alg: bytes.fromhex(rec[alg]) for alg in ALGORITHMS}
        for ls in sets:
            for alg in ALGORITHMS:
                entry = ls.rs.lookup(alg, digests[alg])
                if entry is None:
                    continue
                category = str(entry.category)
                if ls.known_good_only or category == "KNOWN_GOOD":
                    known_good = True
                    continue
                if category not in SEVERITY:
                    continue
                if best is None or SEVERITY[category] < SEVERITY[best["category"]]:
                    best = {"category": category, "set": ls.name, "via": alg, "distance": None}
                    add_flags(best, entry)
    rec["match"] = best
    rec["known_good"] = known_good
    if best is not None and known_good:
        rec["warnings"].append(
            f"KNOWN_GOOD_CONFLICT: also in a known-good set; counted as category {best['category']}"
        )


def count(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The counting rule of docs/interfaces.md §7, plus coverage totals (§5.2 item 4)."""
    cats = dict.fromkeys(CATEGORIES, 0)
    totals = {
        "files": 0,
        "bytes": 0,
        "images": 0,
        "errors": 0,
        "deleted": 0,
        "skipped": 0,
        "warnings": 0,
        "hashed": 0,
    }
    known_good = unmatched_images = unmatched_videos = 0
    by_via: dict[str, int] = {}
    for rec in records:
        totals["files"] += 1
        if rec.get("error"):
            totals["errors"] += 1
        if rec.get("sha256") is not None:
            totals["hashed"] += 1
            totals["bytes"] += rec["size"]
        if rec.get("is_image"):
            totals["images"] += 1
        if rec.get("deleted"):
            totals["deleted"] += 1
        if any(w.startswith("SKIPPED:") for w in rec.get("warnings", ())):
            totals["skipped"] += 1
        totals["warnings"] += len(rec.get("warnings", ()))
        m = rec.get("match")
        if m is not None:
            cats[m["category"]] += 1
            by_via[m["via"]] = by_via.get(m["via"], 0) + 1
        elif rec.get("known_good"):
            known_good += 1
        elif rec.get("is_image"):
            unmatched_images += 1
        elif filetype.is_video_record(rec):
            unmatched_videos += 1
    return {
        "totals": totals,
        "categories": cats,
        "known_good": known_good,
        "unmatched_images": unmatched_images,
        "unmatched_videos": unmatched_videos,
        "matches_by_method": by_via,
    }
