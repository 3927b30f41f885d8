"""Shared vocabulary of the reference hash-set compiler and reader.

Category labels follow docs/interfaces.md §6 (Sentencing Council A/B/C, ``UNCATEGORISED``,
``KNOWN_GOOD``). Each compiled entry carries one code byte:

* bits 0-2: category code (index into :data:`CATEGORY_LABELS`, ordered most serious first so
  that "most serious wins" is ``min``, as in the docs/interfaces.md §7 counting rule);
* bits 3-4: VICS ``Series`` flag, tri-state (0 unknown, 1 false, 2 true);
* bits 5-6: VICS ``VictimIdentified`` flag, same encoding (forensic-triage.md §1.7).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CATEGORY_LABELS: tuple[str, ...] = ("A", "B", "C", "UNCATEGORISED", "KNOWN_GOOD")
CATEGORY_CODES: dict[str, int] = {label: code for code, label in enumerate(CATEGORY_LABELS)}

#: digest width in bytes per algorithm; "pdq" is the 256-bit PDQ hash (forensic-triage.md §2.1);
#: "vpdq" one frame of a video's vPDQ: a 4-byte video number (big-endian) + the frame's PDQ hash
#: (forensic-triage.md §2.6; comeforward_triage.vpdq).
DIGEST_WIDTHS: dict[str, int] = {"md5": 16, "sha1": 20, "sha256": 32, "pdq": 32, "vpdq": 36}
EXACT_ALGORITHMS: tuple[str, ...] = ("md5", "sha1", "sha256")
ALGORITHMS: tuple[str, ...] = ("md5", "sha1", "sha256", "pdq", "vpdq")
#: Perceptual algorithms, stored as rows (not sorted for exact lookup).
ROW_ALGORITHMS: tuple[str, ...] = ("pdq", "vpdq")

CATEGORY_MASK = 0b111
SERIES_SHIFT = 3
VICTIM_SHIFT = 5
FLAG_UNKNOWN, FLAG_FALSE, FLAG_TRUE = 0, 1, 2

#: raw category key used for an entry whose source gives no category (JSON null / absent /
#: a plain hash list). A category map must map it explicitly (``{"null": "UNCATEGORISED"}``).
NULL_CATEGORY = "null"

RawCategories = str | list[str]


def flag_code(value: bool | None) -> int:
    if value is None:
        return FLAG_UNKNOWN
    return FLAG_TRUE if value else FLAG_FALSE


def flag_value(code: int) -> bool | None:
    if code == FLAG_TRUE:
        return True
    if code == FLAG_FALSE:
        return False
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One hit in a compiled set."""

    category: str
    series: bool | None
    victim_identified: bool | None
    code: int

    @classmethod
    def from_code(cls, code: int) -> Entry:
        return cls(
            category=CATEGORY_LABELS[code & CATEGORY_MASK],
            series=flag_value((code >> SERIES_SHIFT) & 3),
            victim_identified=flag_value((code >> VICTIM_SHIFT) & 3),
            code=int(code),
        )


@dataclass(slots=True)
class HashBatch:
    """A block of parsed digests of one algorithm, as produced by a format parser.

    ``raw_category`` is one raw key for the whole batch or a list with one key per digest —
    or, with ``category_index`` (a uint16 array, one per digest), a table of raw keys that the
    index points into (the native VICS scanner's form: no Python string per digest).
    ``series`` / ``victim_identified`` are uint8 tri-state flag arrays, or None (all unknown).
    """

    algorithm: str
    digests: np.ndarray  # uint8, shape (n, DIGEST_WIDTHS[algorithm])
    raw_category: RawCategories
    series: np.ndarray | None = None
    victim_identified: np.ndarray | None = None
    category_index: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.digests.shape[0])
