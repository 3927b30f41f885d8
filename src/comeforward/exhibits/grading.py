"""Reading an examiner's grading file (issue 12.2): which ungraded items were graded what.

The examiner grades the ungraded material in their own grading tool (the software never shows
an image) and exports the result, keyed by hash, as

* **VICS JSON** 1.x or 2.0 (records under ``value`` or ``value[0].Media``; ``MD5``, ``SHA1``,
  ``SHA256``/``AlternativeHashes``; ``Category``), or
* **CSV** with a header naming a hash column (``md5``, ``sha1`` or ``sha256``) and a
  ``category`` (or ``grade``) column.

Optionally, an apparent age in whole years of the youngest person depicted in the item
(CSV column ``age`` or ``apparent_age``; JSON key ``Age`` or ``ApparentAge``), 0–17 or empty:
the examination's youngest depicted age is lowered to the smallest such age of an item graded
A, B or C (issue 12.7; never raised, fail closed). A bad age refuses the file
(``GRADING_AGE_INVALID``).

A grade is ``A``, ``B``, ``C`` (also ``Category A`` …) or *not indecent* (``not_indecent``,
``not indecent``, ``none``, ``0`` with no profile). A numeric VICS category is mapped only
through a named category profile of the triage package (``numeric-abc``: 1/2/3 → A/B/C), never
guessed. VICS key casing and the ``raw_category_key`` normalisation are the triage package's
(``comeforward_triage.hashsets.categories``); its VICS *parser* is not reused because it yields
compiled hash batches for the hash-set compiler, not graded records with their positions.

Pure Python: returns :class:`GradedRecord` rows or raises :class:`GradingFileInvalid` with the
line (CSV) or record (JSON) number and a stable code. Nothing is applied here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from comeforward_triage.errors import UnknownProfile
from comeforward_triage.hashsets.categories import load_profile, raw_category_key

from .errors import GradingFileInvalid

HASH_WIDTHS = {"md5": 32, "sha1": 40, "sha256": 64}
_HEX = re.compile(r"^[0-9a-f]+$")
MAX_RECORDS = 2_000_000
NOT_INDECENT = "not_indecent"
_LETTERS = {
    "a": "A",
    "b": "B",
    "c": "C",
    "category a": "A",
    "category b": "B",
    "category c": "C",
    "cat a": "A",
    "cat b": "B",
    "cat c": "C",
    "not_indecent": NOT_INDECENT,
    "not indecent": NOT_INDECENT,
    "none": NOT_INDECENT,
}


@dataclass(frozen=True)
class GradedRecord:
    position: int  # CSV line number, or JSON record number
    algorithm: str
    digest: str
    grade: str  # "A" | "B" | "C" | "not_indecent"
    age: int | None = None  # apparent age in years of the youngest person depicted


AGE_KEYS = ("age", "apparentage", "apparent_age")


def _age(raw: Any, where: dict[str, int]) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or int(text) > 17:
        raise _invalid(
            f"Age {raw!r} is not a whole number of years from 0 to 17",
            "GRADING_AGE_INVALID",
            **where,
            age=str(raw),
        )
    return int(text)


def _invalid(message: str, code: str = "GRADING_FILE_INVALID", **details: Any):
    return GradingFileInvalid(message, details=details, code=code)


def _grade(raw: Any, profile: dict[str, str] | None, where: dict[str, int]) -> str:
    key = raw_category_key(raw)
    if profile is not None and key in profile:
        label = profile[key]
        if label in ("A", "B", "C"):
            return label
        if label in ("UNCATEGORISED",):
            raise _invalid(
                "An item is still uncategorised in the grading file: grade it first",
                "GRADING_CATEGORY_INVALID",
                **where,
                category=str(raw),
            )
        return NOT_INDECENT
    text = str(raw).strip().lower() if raw is not None else ""
    if text in _LETTERS:
        return _LETTERS[text]
    if text == "0" and profile is None:
        return NOT_INDECENT
    raise _invalid(
        f"Category {raw!r} is not A, B, C or not indecent"
        + ("" if profile is not None else " (choose the category profile for numeric grades)"),
        "GRADING_CATEGORY_INVALID",
        **where,
        category=str(raw),
    )


def _digest(algorithm: str, value: Any, where: dict[str, int]) -> str:
    text = str(value or "").strip().lower()
    if len(text) != HASH_WIDTHS[algorithm] or not _HEX.match(text):
        raise _invalid(
            f"{algorithm.upper()} {value!r} is not a {algorithm.upper()} hash",
            "GRADING_HASH_INVALID",
            **where,
        )
    return text


def parse_grading_file(content: bytes, *, profile: str | None = None) -> list[GradedRecord]:
    """Every graded record of a VICS JSON or CSV grading file, or a refusal."""
    mapping = None
    if profile:
        try:
            mapping = load_profile(profile).mapping
        except UnknownProfile as exc:
            raise _invalid(str(exc), "GRADING_PROFILE_UNKNOWN", profile=profile) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid("The grading file is not UTF-8 text", position=exc.start) from None
    if not text.strip():
        raise _invalid("The grading file is empty")
    records = _json(text, mapping) if text.lstrip()[:1] in "{[" else _csv(text, mapping)
    if not records:
        raise _invalid("The grading file grades nothing", "GRADING_FILE_EMPTY")
    return records


def _json(text: str, mapping: dict[str, str] | None) -> list[GradedRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(f"The grading file is not valid JSON: {exc.msg}", line=exc.lineno) from None
    items: Any = data.get("value") if isinstance(data, dict) else data
    if (
        isinstance(items, list)
        and items
        and isinstance(items[0], dict)
        and any(k.lower() == "media" for k in items[0])
    ):
        items = next(v for k, v in items[0].items() if k.lower() == "media")  # VICS case export
    if not isinstance(items, list):
        raise _invalid('A VICS file has its records under "value" (or value[0].Media)')
    if len(items) > MAX_RECORDS:
        raise _invalid("Too many records", "GRADING_FILE_TOO_LARGE", maximum=MAX_RECORDS)
    out: list[GradedRecord] = []
    for number, record in enumerate(items, start=1):
        where = {"record": number}
        if not isinstance(record, dict):
            raise _invalid(f"Record {number} is not an object", **where)
        fields = {k.lower(): v for k, v in record.items()}
        if "category" not in fields:
            raise _invalid(f"Record {number} has no Category", "GRADING_CATEGORY_INVALID", **where)
        grade = _grade(fields["category"], mapping, where)
        hashes = [(a, fields[a]) for a in HASH_WIDTHS if fields.get(a)]
        for alt in fields.get("alternativehashes") or []:
            if isinstance(alt, dict):
                low = {k.lower(): v for k, v in alt.items()}
                name = str(low.get("hashname", "")).lower().replace("-", "")
                if name in HASH_WIDTHS and low.get("hashvalue"):
                    hashes.append((name, low["hashvalue"]))
        if not hashes:
            raise _invalid(
                f"Record {number} has no MD5, SHA1 or SHA256", "GRADING_HASH_INVALID", **where
            )
        algorithm, value = hashes[0]
        age_key = next((k for k in AGE_KEYS if k in fields), None)
        age = _age(fields[age_key], where) if age_key else None
        out.append(GradedRecord(number, algorithm, _digest(algorithm, value, where), grade, age))
    return out


def _csv(text: str, mapping: dict[str, str] | None) -> list[GradedRecord]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise _invalid("The CSV file has no header", line=1) from None
    algorithm = next((a for a in ("sha256", "sha1", "md5") if a in header), None)
    grade_col = next((c for c in ("category", "grade") if c in header), None)
    if algorithm is None or grade_col is None:
        raise _invalid(
            "The CSV header must name a hash column (md5, sha1 or sha256) and a category column",
            line=1,
            header=header,
        )
    h_index, g_index = header.index(algorithm), header.index(grade_col)
    age_col = next((c for c in AGE_KEYS if c in header), None)
    a_index = header.index(age_col) if age_col else None
    out: list[GradedRecord] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            where = {"line": line}
            if len(row) <= max(h_index, g_index):
                raise _invalid(f"Line {line} has too few columns", **where)
            if len(out) >= MAX_RECORDS:
                raise _invalid("Too many records", "GRADING_FILE_TOO_LARGE", maximum=MAX_RECORDS)
            out.append(
                GradedRecord(
                    line,
                    algorithm,
                    _digest(algorithm, row[h_index], where),
                    _grade(row[g_index], mapping, where),
                    _age(row[a_index], where)
                    if a_index is not None and a_index < len(row)
                    else None,
                )
            )
    except csv.Error as exc:
        raise _invalid(f"The CSV file is malformed: {exc}", line=reader.line_num) from None
    return out
