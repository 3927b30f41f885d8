"""Parser registry and helpers shared by the input formats.

Parsers stream: they yield :class:`HashBatch` blocks of at most ``BATCH_SIZE`` digests (numpy
arrays), never a list of every record (task brief; forensic-triage.md §3.2 scale of 100 M+).
Error messages name the line/record and the reason, never the hash value: police hash sets are
sensitive personal data (forensic-triage.md §1.6 design implication).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from comeforward_triage.errors import MalformedHashSet

from ..model import DIGEST_WIDTHS, NULL_CATEGORY, HashBatch, flag_code

BATCH_SIZE = 65536
HEX_WIDTH_TO_ALGORITHM = {32: "md5", 40: "sha1", 64: "sha256"}


@dataclass
class ParseStats:
    """What a parser noticed besides digests; copied into the set's ``info()``."""

    records: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    source_details: dict[str, Any] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


class Parser(Protocol):
    name: str
    description: str
    #: label every entry gets regardless of profile (nsrl-rds3 → KNOWN_GOOD), else None.
    fixed_label: str | None

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]: ...


def malformed(message: str, **details: Any) -> MalformedHashSet:
    return MalformedHashSet(message, details=details)


def hex_digest(text: str, algorithm: str) -> bytes:
    """Decode one hex digest of the given algorithm; ValueError if it is not one."""
    text = text.strip()
    if len(text) != DIGEST_WIDTHS[algorithm] * 2:
        raise ValueError(f"expected {DIGEST_WIDTHS[algorithm] * 2} hex characters for {algorithm}")
    return bytes.fromhex(text)


class BatchBuilder:
    """Accumulate per-record digests (one list per algorithm) and emit fixed-size batches."""

    def __init__(self, batch_size: int = BATCH_SIZE):
        self.batch_size = batch_size
        self._digests: dict[str, list[bytes]] = {}
        self._raw: dict[str, list[str]] = {}
        self._series: dict[str, list[int]] = {}
        self._victim: dict[str, list[int]] = {}

    def add(
        self,
        algorithm: str,
        digest: bytes,
        raw_category: str = NULL_CATEGORY,
        series: bool | None = None,
        victim_identified: bool | None = None,
    ) -> HashBatch | None:
        digests = self._digests.setdefault(algorithm, [])
        digests.append(digest)
        self._raw.setdefault(algorithm, []).append(raw_category)
        self._series.setdefault(algorithm, []).append(flag_code(series))
        self._victim.setdefault(algorithm, []).append(flag_code(victim_identified))
        if len(digests) >= self.batch_size:
            return self._take(algorithm)
        return None

    def _take(self, algorithm: str) -> HashBatch:
        width = DIGEST_WIDTHS[algorithm]
        digests = self._digests.pop(algorithm)
        raw = self._raw.pop(algorithm)
        series = np.array(self._series.pop(algorithm), dtype=np.uint8)
        victim = np.array(self._victim.pop(algorithm), dtype=np.uint8)
        array = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, width)
        uniform = raw[0] if all(r == raw[0] for r in raw) else raw
        return HashBatch(
            algorithm,
            array,
            uniform,
            series if series.any() else None,
            victim if victim.any() else None,
        )

    def flush(self) -> Iterator[HashBatch]:
        for algorithm in list(self._digests):
            if self._digests[algorithm]:
                yield self._take(algorithm)
