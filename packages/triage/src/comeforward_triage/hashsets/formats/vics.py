"""Project VIC / VICS JSON (1.2, 1.3 and 2.0; hash-set and case exports).

Field names and quirks from forensic-triage.md §1.7 (IPED ``HashDBTool.java``, Clees4All
``VICS.cpp``, GLEAPP, NSRLConvert-PY):

* records sit under ``value`` (hash set) or ``value[0].Media`` (case export); OData context
  keys ``@odata.context`` (2.0) / ``odata.metadata`` (1.x) are recorded as the source version;
* ``MD5``, ``SHA1`` (upper-case hex in distributed sets), plus ``AlternativeHashes``
  (``HashName``/``HashValue``: SHA256/PDQ kept, PhotoDNA ignored) and ``MediaFiles[].MD5``;
  key casing is not trusted (``md5``, ``Md5`` …);
* ``Category`` is an int, a digit string, absent or null (GLEAPP exports "Uncategorized" as
  null) — mapped by the profile, never guessed;
* booleans are JSON ``true/false`` *or* strings ``"true"/"false"``; ``Series`` is a name or an
  id, kept as a flag (present and not empty/false → True);
* ``TotalMediaFiles`` is unreliable, so records are counted, not trusted from the header.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from ... import native
from ..categories import raw_category_key
from ..model import DIGEST_WIDTHS, HashBatch
from .base import BatchBuilder, ParseStats, malformed
from .jsonstream import iter_records

HASH_FIELDS = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "pdq": "pdq"}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
CONTEXT_KEYS = ("@odata.context", "odata.metadata")


def parse_flag(value: Any, *, series_field: bool = False) -> bool | None:
    """Tri-state boolean from VICS quirks: true/"true"/"True"/1 … ; absent/null/"" → None.

    For ``Series`` a non-boolean value (a series name or id) means "part of a series".
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = str(value).strip()
    if not text or text.lower() in ("null", "none"):
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    return True if series_field else None


def _is_record(fields: dict[str, Any]) -> bool:
    lowered = {k.lower() for k in fields}
    return bool(
        lowered
        & {"md5", "sha1", "sha256", "alternativehashes", "mediafiles", "mediaid", "category"}
    ) and not bool(lowered & {"caseid", "casenumber"})


class VicsParser:
    name = "vics"
    description = "Project VIC / VICS JSON 1.x and 2.0 (hash sets and case exports)"
    fixed_label = None

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        builder = BatchBuilder()
        # binary: ijson's C tokeniser reads bytes (jsonstream.iter_records; issue 16 item 6)
        with open(path, "rb") as fh:
            raw = fh.read(4096)
            try:
                head = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                if exc.reason != "unexpected end of data":  # not a character cut at 4096
                    raise malformed("VICS file is not UTF-8 text.") from None
                head = raw[: exc.start].decode("utf-8-sig")
            self._note_context(head, stats)
            fh.seek(0)
            done = 0
            if native.AVAILABLE:
                done = yield from _native_records(fh, stats)
                if done < 0:
                    return  # the whole document was converted natively
                fh.seek(0)
            try:
                for number, record in enumerate(iter_records(fh, _is_record), 1):
                    if number <= done:
                        continue  # converted by the native scanner before it stopped
                    stats.records += 1
                    yield from self._record(record, stats.records, builder, stats)
            except UnicodeDecodeError:
                raise malformed("VICS file is not UTF-8 text.") from None
        yield from builder.flush()

    @staticmethod
    def _note_context(head: str, stats: ParseStats) -> None:
        for key in CONTEXT_KEYS:
            at = head.find(f'"{key}"')
            if at >= 0:
                start = head.find('"', head.find(":", at) + 1)
                end = head.find('"', start + 1)
                if start > 0 and end > start:
                    context = head[start + 1 : end]
                    stats.source_details["odata_context"] = context
                    for version in ("2.0", "1.3", "1.2", "1.1", "1.0"):
                        if f"/{version}.xml" in context:
                            stats.source_details["vics_version"] = version
                return

    @staticmethod
    def _record(
        record: dict[str, Any], number: int, builder: BatchBuilder, stats: ParseStats
    ) -> Iterator[HashBatch]:
        fields = {k.lower(): v for k, v in record.items()}
        raw = raw_category_key(fields.get("category"))
        series = parse_flag(fields.get("series"), series_field=True)
        victim = parse_flag(fields.get("victimidentified"))
        hashes: list[tuple[str, Any]] = []
        for key, algorithm in HASH_FIELDS.items():
            if key in fields:
                hashes.append((algorithm, fields[key]))
        for alt in _as_list(fields.get("alternativehashes")):
            if isinstance(alt, dict):
                alt_l = {k.lower(): v for k, v in alt.items()}
                name = str(alt_l.get("hashname", "")).lower().replace("-", "").replace("_", "")
                if name in HASH_FIELDS:
                    hashes.append((HASH_FIELDS[name], alt_l.get("hashvalue")))
        for media_file in _as_list(fields.get("mediafiles")):
            if isinstance(media_file, dict):
                for k, v in media_file.items():
                    if k.lower() in ("md5", "sha1", "sha256"):
                        hashes.append((k.lower(), v))
        seen: set[tuple[str, bytes]] = set()
        for algorithm, value in hashes:
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            digest = _decode(value, algorithm, number)
            if (algorithm, digest) in seen:
                continue
            seen.add((algorithm, digest))
            batch = builder.add(algorithm, digest, raw, series, victim)
            if batch is not None:
                yield batch
        if not seen:
            stats.skip("records_without_supported_hash")


def _as_list(value: Any) -> list[Any]:
    """AlternativeHashes/MediaFiles: a list; anything else (null, a string, a number…) holds no
    hash objects."""
    return value if isinstance(value, list) else []


NATIVE_BLOCK = 4 << 20
_NATIVE_ALGORITHMS = ("md5", "sha1", "sha256", "pdq")


def _native_records(fh: IO[bytes], stats: ParseStats) -> Generator[HashBatch, None, int]:
    """Convert the records with the native scanner (``vicsscan.c``), block by block.

    Returns -1 when it converted the whole document, else the number of records it converted
    before it stopped at one it leaves to the Python path (anything unusual or invalid: the
    Python path then converts or refuses it, with its own messages)."""
    scan = native.core().vics_scan
    state = bytearray(native.core().VICS_STATE_SIZE)
    if fh.read(3) != b"\xef\xbb\xbf":  # a UTF-8 byte order mark is skipped, as utf-8-sig does
        fh.seek(0)
    tail = b""
    done = 0
    want = NATIVE_BLOCK
    while True:
        block = fh.read(want)
        data = tail + block if tail else block
        consumed, status, records, without_hash, table, outputs = scan(state, data, not block)
        done += records
        stats.records += records
        if without_hash:
            stats.skip("records_without_supported_hash", without_hash)
        for algorithm, out in zip(_NATIVE_ALGORITHMS, outputs, strict=True):
            if out is None:
                continue
            digests, series, victim, index = out
            width = DIGEST_WIDTHS[algorithm]
            s = np.frombuffer(series, dtype=np.uint8)
            v = np.frombuffer(victim, dtype=np.uint8)
            yield HashBatch(
                algorithm,
                np.frombuffer(digests, dtype=np.uint8).reshape(-1, width),
                table,
                s if s.any() else None,
                v if v.any() else None,
                category_index=np.frombuffer(index, dtype=np.uint16),
            )
        if status == 1:
            return -1
        if status == 2:
            return done
        tail = data[consumed:]
        # a record longer than a block is parsed again from its start with each block: read
        # more at a time while nothing is consumed, so that this stays linear
        want = want * 2 if consumed == 0 else NATIVE_BLOCK


def _decode(value: Any, algorithm: str, number: int) -> bytes:
    text = str(value).strip()
    width = DIGEST_WIDTHS[algorithm] * 2
    try:
        if not isinstance(value, str) or len(text) != width:
            raise ValueError
        return bytes.fromhex(text)
    except ValueError:
        raise malformed(
            f"Record {number}: {algorithm.upper()} is not {width} hex characters.",
            record=number,
            field=algorithm,
        ) from None
