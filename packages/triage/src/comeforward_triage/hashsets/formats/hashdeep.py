"""hashdeep known files and md5deep output.

hashdeep (forensic-triage.md §1.4, ``jessek/hashdeep:FILEFORMAT``): line 1
``%%%% HASHDEEP-1.0``, line 2 ``%%%% size,md5,sha256,filename`` naming the columns, ``#``
comment lines (hashdeep writes ``## Invoked from: …``), then CSV rows ``size,hash…,filename``
where extra commas belong to the file name. Columns other than md5/sha1/sha256 (tiger,
whirlpool) are ignored.

A file without the ``%%%%`` header is read as md5deep output: ``HEX␠␠NAME`` per line, the
algorithm taken from the hex length (32 md5, 40 sha1, 64 sha256).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import DIGEST_WIDTHS, HashBatch
from .base import HEX_WIDTH_TO_ALGORITHM, BatchBuilder, ParseStats, malformed

HEADER = "%%%% HASHDEEP-1.0"


class HashdeepParser:
    name = "hashdeep"
    description = "hashdeep files (%%%% HASHDEEP-1.0 headers) or md5deep 'HEX  NAME' output"
    fixed_label = None

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        builder = BatchBuilder()
        columns: list[str] | None = None
        mode: str | None = None  # "hashdeep" | "md5deep"
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            for line_no, raw in enumerate(fh, start=1):
                line = raw.rstrip("\r\n")
                if not line.strip():
                    continue
                if line.startswith("%%%%"):
                    body = line[4:].strip()
                    if body.upper().startswith("HASHDEEP"):
                        mode = "hashdeep"
                        stats.source_details["hashdeep_version"] = body
                    elif mode == "hashdeep" and columns is None:
                        columns = [c.strip().lower() for c in body.split(",")]
                        self._check_columns(columns, line_no)
                        stats.source_details["columns"] = columns
                    continue
                if line.startswith("#"):
                    continue
                if mode is None:
                    mode = "md5deep"
                    stats.source_details["variant"] = "md5deep"
                if mode == "hashdeep":
                    if columns is None:
                        raise malformed(
                            f"Line {line_no}: hashdeep row before the '%%%% size,…' header.",
                            line=line_no,
                        )
                    items = self._row_hashes(line, columns, line_no)
                else:
                    items = self._md5deep_hash(line, line_no)
                stats.records += 1
                for algorithm, digest in items:
                    batch = builder.add(algorithm, digest)
                    if batch is not None:
                        yield batch
        if mode == "hashdeep" and columns is None:
            raise malformed("hashdeep file has no '%%%% size,…' column header.")
        yield from builder.flush()

    @staticmethod
    def _check_columns(columns: list[str], line_no: int) -> None:
        if "filename" not in columns or not any(c in DIGEST_WIDTHS for c in columns):
            raise malformed(
                f"Line {line_no}: hashdeep header names no md5/sha1/sha256 column.",
                line=line_no,
            )

    @staticmethod
    def _row_hashes(line: str, columns: list[str], line_no: int) -> list[tuple[str, bytes]]:
        fields = line.split(",", len(columns) - 1)
        if len(fields) != len(columns):
            raise malformed(
                f"Line {line_no}: expected {len(columns)} fields, found {len(fields)}.",
                line=line_no,
            )
        out = []
        for column, value in zip(columns, fields, strict=True):
            if column in ("md5", "sha1", "sha256") and value.strip():
                text = value.strip()
                if len(text) != DIGEST_WIDTHS[column] * 2:
                    raise malformed(
                        f"Line {line_no}: {column} is not {DIGEST_WIDTHS[column] * 2} hex chars.",
                        line=line_no,
                        column=column,
                    )
                try:
                    out.append((column, bytes.fromhex(text)))
                except ValueError:
                    raise malformed(
                        f"Line {line_no}: {column} is not hexadecimal.",
                        line=line_no,
                        column=column,
                    ) from None
        return out

    @staticmethod
    def _md5deep_hash(line: str, line_no: int) -> list[tuple[str, bytes]]:
        token = line.split(None, 1)[0]
        algorithm = HEX_WIDTH_TO_ALGORITHM.get(len(token))
        try:
            if algorithm is None:
                raise ValueError
            return [(algorithm, bytes.fromhex(token))]
        except ValueError:
            raise malformed(
                f"Line {line_no}: not an md5deep 'HASH  NAME' line.", line=line_no
            ) from None
