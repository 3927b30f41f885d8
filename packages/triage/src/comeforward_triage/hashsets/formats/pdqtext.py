"""Plain-text PDQ hash lists.

The research does not document an HMA/ThreatExchange bank *export* file (forensic-triage.md
§1.2 lists only HMA's REST API and Postgres model), so this reader accepts the simple text
shapes seen around the PDQ tools — UNVERIFIED against any real export: one 64-hex PDQ hash per
line (serialisation per §2.1 item 8), optionally followed by ``,quality[,name]`` or preceded by
the signal name ``pdq`` (``pdq HEX``). Blank lines and ``#`` comments are skipped. Quality is not
used to drop bank entries (the quality gate of §2.2 applies to device images).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..model import HashBatch
from .base import BatchBuilder, ParseStats, malformed

_SPLIT = re.compile(r"[,\s]+")


class PdqTextParser:
    name = "pdq-text"
    description = (
        "PDQ hashes, one 64-hex per line ('HEX', 'HEX,quality,name' or 'pdq HEX'); unverified shape"
    )
    fixed_label = None

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        builder = BatchBuilder()
        stats.source_details["format_verified"] = False
        with open(path, encoding="utf-8-sig", errors="surrogateescape") as fh:
            for line_no, raw in enumerate(fh, start=1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                tokens = [t for t in _SPLIT.split(line) if t]
                if tokens[0].lower() == "pdq" and len(tokens) > 1:
                    tokens = tokens[1:]
                text = tokens[0]
                try:
                    if len(text) != 64:
                        raise ValueError
                    digest = bytes.fromhex(text)
                except ValueError:
                    raise malformed(
                        f"Line {line_no}: not a 64-hex PDQ hash.", line=line_no
                    ) from None
                stats.records += 1
                batch = builder.add("pdq", digest)
                if batch is not None:
                    yield batch
        yield from builder.flush()
