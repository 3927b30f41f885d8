"""CSV and ODS (OpenDocument spreadsheet) of every published table (issue 14.7).

The ODS file is written directly (a zip holding ``mimetype``, ``content.xml`` and the
manifest: ISO/IEC 26300), so no extra package is needed; numbers are numeric cells, hidden
values are the text "fewer than 5" or "[c]". A spreadsheet formula cannot be smuggled in: CSV
cells that start with ``= + - @`` are prefixed with an apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from .domain.tables import Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_NUMBER = re.compile(r"-?£?[\d,]+(\.\d+)?%?")


def _safe(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (a negative number is kept)."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def table_rows(table: Table) -> list[list[str]]:
    rows = [list(table.columns)]
    for row in table.rows:
        rows.append([row["label"], *row["cells"]])
    return rows


def table_csv(table: Table, *, as_of: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe(table.title)])
    writer.writerow(
        [
            f"Figures as of {as_of}. Counts under 5 are shown as 'fewer than 5'; "
            "[c] is hidden so that a total cannot reveal a small number."
        ]
    )
    for row in table_rows(table):
        writer.writerow([_safe(str(cell)) for cell in row])
    return out.getvalue()


def _cell(value: str) -> str:
    plain = value.replace(",", "").replace("£", "")
    try:
        number = float(plain.rstrip("%")) / (100 if plain.endswith("%") else 1)
    except ValueError:
        return (
            '<table:table-cell office:value-type="string"><text:p>'
            f"{escape(value)}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="float" office:value="{number!r}">'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def tables_ods(tables: Iterable[Table], *, as_of: str) -> bytes:
    sheets = []
    for table in tables:
        rows = [[table.title], [f"Figures as of {as_of}"], *table_rows(table)]
        body = "".join(
            "<table:table-row>" + "".join(_cell(str(c)) for c in row) + "</table:table-row>"
            for row in rows
        )
        sheets.append(f"<table:table table:name={quoteattr(table.id[:31])}>{body}</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(sheets) + "</office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def rows_csv(columns: Iterable[str], rows: Iterable[dict]) -> Iterable[str]:
    """Stream a record-level extract as CSV lines."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    yield out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow({k: _safe(str(v)) for k, v in row.items()})
        yield out.getvalue()
