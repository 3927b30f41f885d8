"""CSV with a header naming any of ``md5``, ``sha1``, ``sha256``, ``pdq``, ``category``.

docs/interfaces.md §6 ("columns named in a header"); ``pdq`` is a 64-hex PDQ hash
(forensic-triage.md §2.1 serialisation). Optional ``series`` and ``victim_identified`` /
``victimidentified`` columns are read as flags. Header names are case-insensitive; the
delimiter is ``,`` unless the header line contains tabs or semicolons but no commas. Empty
cells are skipped; a row with no hash at all is counted in ``skipped.rows_without_hash``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..categories import raw_category_key
from ..model import DIGEST_WIDTHS, HashBatch
from .base import BatchBuilder, ParseStats, malformed
from .vics import parse_flag

HASH_COLUMNS = ("md5", "sha1", "sha256", "pdq")


class CsvParser:
    name = "csv"
    description = (
        "CSV with a header naming md5, sha1, sha256, pdq, category (+ series, victim_identified)"
    )
    fixed_label = None

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        builder = BatchBuilder()
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            first = fh.readline()
            if not first.strip():
                raise malformed("CSV file has no header line.")
            delimiter = ","
            if "," not in first:
                delimiter = "\t" if "\t" in first else (";" if ";" in first else ",")
            header = [
                h.strip().lower().replace(" ", "_")
                for h in next(csv.reader([first], delimiter=delimiter))
            ]
            index = {name: i for i, name in enumerate(header)}
            hash_cols = [(c, index[c]) for c in HASH_COLUMNS if c in index]
            if not hash_cols:
                raise malformed("CSV header names none of md5, sha1, sha256, pdq.", header=header)
            stats.source_details["columns"] = header
            cat_i = index.get("category")
            series_i = index.get("series")
            victim_i = index.get("victim_identified", index.get("victimidentified"))
            for row_no, row in enumerate(csv.reader(fh, delimiter=delimiter), start=2):
                if not row or all(not cell.strip() for cell in row):
                    continue
                stats.records += 1
                raw = raw_category_key(_cell(row, cat_i))
                series = parse_flag(_cell(row, series_i), series_field=True)
                victim = parse_flag(_cell(row, victim_i))
                found = False
                for column, i in hash_cols:
                    text = (_cell(row, i) or "").strip()
                    if not text:
                        continue
                    digest = _decode(text, column, row_no)
                    found = True
                    batch = builder.add(column, digest, raw, series, victim)
                    if batch is not None:
                        yield batch
                if not found:
                    stats.skip("rows_without_hash")
        yield from builder.flush()


def _cell(row: list[str], i: int | None) -> str | None:
    if i is None or i >= len(row):
        return None
    return row[i]


def _decode(text: str, column: str, row_no: int) -> bytes:
    if len(text) != DIGEST_WIDTHS[column] * 2:
        raise malformed(
            f"Row {row_no}: {column} must be {DIGEST_WIDTHS[column] * 2} hex characters.",
            line=row_no,
            column=column,
        )
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise malformed(
            f"Row {row_no}: {column} is not hexadecimal.", line=row_no, column=column
        ) from None
