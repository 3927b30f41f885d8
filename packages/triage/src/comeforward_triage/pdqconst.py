"""What a run needs to know about perceptual (PDQ) matching without loading numpy or Pillow.

``triage run`` imports the perceptual modules (:mod:`.perceptual`, :mod:`.pdqmatch`: numpy,
Pillow, ~0.4-0.9 s of CPU) only when an image needs them (issue 16 item 1): a run with no image
and no PDQ reference entries reports its PDQ summary from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Hamming distance at or below which two PDQ hashes match (forensic-triage.md §2.2).
MATCH_RADIUS = 31
#: PDQ quality below which a hash is not matched (Meta's recommendation, §2.2).
QUALITY_THRESHOLD = 50


@dataclass
class PdqSummary:
    """What report.json says about perceptual matching (``"pdq"``)."""

    radius: int
    enabled: bool
    reference_hashes: int = 0
    queried: int = 0
    matched: int = 0
    low_quality: int = 0
    not_hashed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "radius": self.radius,
            "quality_threshold": QUALITY_THRESHOLD,
            "reference_hashes": self.reference_hashes,
            "queried": self.queried,
            "matched": self.matched,
            "low_quality": self.low_quality,
            "not_hashed": self.not_hashed,
        }
