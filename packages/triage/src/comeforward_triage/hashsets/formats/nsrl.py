"""NIST NSRL RDS v3 SQLite (known files → ``KNOWN_GOOD``).

Schema per forensic-triage.md §1.8 (``RDSv3_2021.12.2_curated``): the *minimal* download is
detected by a ``DISTINCT_HASH`` view/table, the full one by the ``FILE`` view (hex upper-cased
by the view); as a last resort the ``METADATA`` table's ``sha256, sha1, md5`` columns are read.
The ``VERSION`` table (version, build_set, release_date) is recorded in the set's source details
(§5.2 item 3: "NSRL RDS version"). The database is opened read-only. NSRL means "known", not
"proven innocent" (§1.8 semantics caveat): hits only de-prioritise.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..model import DIGEST_WIDTHS, HashBatch
from .base import BatchBuilder, ParseStats, malformed

SOURCES = ("DISTINCT_HASH", "FILE", "METADATA")


class NsrlRds3Parser:
    name = "nsrl-rds3"
    description = "NIST NSRL RDS v3 SQLite database (every entry KNOWN_GOOD)"
    fixed_label = "KNOWN_GOOD"

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\0":
                raise malformed("Not an SQLite database (NSRL RDS v3 is SQLite).")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {
                row[0].upper()
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table','view')"
                )
            }
            source = next((s for s in SOURCES if s in names), None)
            if source is None:
                raise malformed(
                    "SQLite database has none of DISTINCT_HASH, FILE, METADATA: not NSRL RDS v3.",
                    tables=sorted(names),
                )
            stats.source_details["nsrl_table"] = source
            if "VERSION" in names:
                row = conn.execute(
                    "SELECT version, build_set, release_date FROM VERSION LIMIT 1"
                ).fetchone()
                if row:
                    stats.source_details["nsrl_version"] = {
                        "version": row[0],
                        "build_set": row[1],
                        "release_date": row[2],
                    }
            yield from self._rows(conn, source, stats)
        except sqlite3.DatabaseError as exc:
            raise malformed(f"NSRL database could not be read: {exc}") from None
        finally:
            conn.close()

    @staticmethod
    def _rows(conn: sqlite3.Connection, source: str, stats: ParseStats) -> Iterator[HashBatch]:
        builder = BatchBuilder()
        cursor = conn.execute(f"SELECT sha256, sha1, md5 FROM {source}")  # noqa: S608 (fixed names)
        number = 0
        while True:
            rows = cursor.fetchmany(10000)
            if not rows:
                break
            for row in rows:
                number += 1
                stats.records += 1
                for algorithm, value in zip(("sha256", "sha1", "md5"), row, strict=True):
                    if value is None or not str(value).strip():
                        continue
                    text = str(value).strip()
                    try:
                        if len(text) != DIGEST_WIDTHS[algorithm] * 2:
                            raise ValueError
                        digest = bytes.fromhex(text)
                    except ValueError:
                        raise malformed(
                            f"Row {number} of {source}: {algorithm} is not a hex digest.",
                            row=number,
                            column=algorithm,
                        ) from None
                    batch = builder.add(algorithm, digest)
                    if batch is not None:
                        yield batch
        yield from builder.flush()
