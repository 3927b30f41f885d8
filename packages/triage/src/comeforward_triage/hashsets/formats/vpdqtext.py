"""vPDQ reference lists: the frames of reference videos (issue 16 item 8).

One line per sampled frame, comma-separated, as Meta's ``vpdq`` tool writes a video's hash
(``frame_number,quality,pdq_hex,timestamp``, ``vpdq/README.md``, forensic-triage.md §2.6) with
the video's identifier in front and an optional category key at the end::

    VIDEO_ID,FRAME,QUALITY,PDQ_HEX[,SECONDS[,CATEGORY]]

Blank lines and ``#`` comments are skipped. Each distinct ``VIDEO_ID`` becomes a video number
(in order of first appearance) stored in front of each of its frames (``vpdq`` entries, 36
bytes), so the run can group the frames back into videos. Frames of every quality are kept
(the quality gate applies to device videos, as for PDQ). A video's category is that of its
frames (the category key, mapped by the profile as for any set; none: ``null``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import NULL_CATEGORY, HashBatch
from .base import BatchBuilder, ParseStats, malformed


class VpdqTextParser:
    name = "vpdq-text"
    description = (
        "vPDQ frames of reference videos: 'VIDEO_ID,FRAME,QUALITY,PDQ_HEX[,SECONDS[,CAT]]'"
    )
    fixed_label = None

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        builder = BatchBuilder()
        videos: dict[str, int] = {}
        with open(path, encoding="utf-8-sig", errors="surrogateescape") as fh:
            for line_no, raw in enumerate(fh, start=1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                parts = [p.strip() for p in line.split(",")]
                try:
                    if len(parts) < 4 or not parts[0] or len(parts[3]) != 64:
                        raise ValueError
                    int(parts[1])
                    int(parts[2])
                    frame = bytes.fromhex(parts[3])
                except ValueError:
                    raise malformed(
                        f"Line {line_no}: expected VIDEO_ID,FRAME,QUALITY,PDQ_HEX[,SECONDS[,CAT]].",
                        line=line_no,
                    ) from None
                number = videos.setdefault(parts[0], len(videos))
                if number >= 1 << 32:
                    raise malformed(f"Line {line_no}: too many videos.", line=line_no)
                category = parts[5] if len(parts) > 5 and parts[5] else NULL_CATEGORY
                stats.records += 1
                batch = builder.add("vpdq", number.to_bytes(4, "big") + frame, category)
                if batch is not None:
                    yield batch
        stats.source_details["videos"] = len(videos)
        yield from builder.flush()
