"""Incremental JSON walker: yields the media records of a VICS document one at a time.

With ijson's C backend (yajl2, issue 16 item 6) the document is tokenised in C and the
walker only follows the events (:func:`iter_records`); without it, the pure-Python walker below
(:func:`iter_records_python`) does the same with ``json.JSONDecoder.raw_decode`` — the same
records in the same order, and malformed documents refused with the same error code.

VICS documents can be very large, so the whole file is never decoded at once. The walker reads
the text in blocks; inside objects it *descends* into values of container keys (``value``,
``Media``, ``d``, ``results``, ``Cases`` — case-insensitive, covering the VICS 1.x/2.0 hash-set
and case layouts and OData verbose ``{"d": {"results": […]}}`` wrappers, forensic-triage.md
§1.7) and decodes every other value whole with ``json.JSONDecoder.raw_decode``. An object whose
decoded keys include a hash field is reported as a record.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import IO, Any, TextIO

from .base import malformed

CONTAINER_KEYS = frozenset({"value", "media", "d", "results", "cases"})
_WS = " \t\r\n"


class _Text:
    def __init__(self, fh: TextIO, block: int = 1 << 20):
        self.fh = fh
        self.block = block
        self.buf = ""
        self.pos = 0
        self.consumed = 0  # characters dropped from the front of buf
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self, at_least: int | None = None) -> bool:
        if self.eof:
            return False
        if self.pos > len(self.buf) // 2:
            self.consumed += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        chunk = self.fh.read(max(self.block, at_least or 0))
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def error(self, message: str) -> Exception:
        return malformed(f"Invalid JSON: {message}", offset=self.consumed + self.pos)

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def take(self, expected: str) -> str:
        c = self.peek()
        if c == "" or c not in expected:
            raise self.error(f"expected one of {expected!r}, found {c or 'end of file'!r}")
        self.pos += 1
        return c

    def value(self) -> Any:
        self.peek()
        want = self.block
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._more(want):
                    want *= 2
                    continue
                raise self.error(exc.msg) from None
            if end == len(self.buf) and not self.eof and self._more(want):
                continue  # a number may continue in the next block
            self.pos = end
            return obj


def _ijson() -> Any:
    """ijson with a C backend, or None (then the pure-Python walker is used)."""
    try:
        import ijson
    except ImportError:
        return None
    return ijson if ijson.backend in ("yajl2_c", "yajl2_cffi") else None


def iter_records(
    fh: IO[bytes] | TextIO, is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[dict[str, Any]]:
    """Yield every object (at any depth under container keys) for which ``is_record`` holds.

    *fh*: a binary file (UTF-8, a BOM allowed) for the ijson path; a text file is walked by
    the pure-Python walker."""
    ijson = _ijson()
    if hasattr(fh, "encoding"):  # text
        yield from iter_records_python(fh, is_record)  # type: ignore[arg-type]
        return
    if ijson is None:
        decoded = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="strict")  # type: ignore[arg-type]
        try:
            yield from iter_records_python(decoded, is_record)
        finally:
            decoded.detach()
        return
    start = fh.tell()
    head = fh.read(3)
    if head != b"\xef\xbb\xbf":  # a UTF-8 byte order mark is skipped, as utf-8-sig does
        fh.seek(start)
    events = ijson.basic_parse(fh, use_float=True, buf_size=1 << 20)
    done = 0
    try:
        first = next(events, None)
        if first is None or first[0] not in ("start_map", "start_array"):
            raise malformed("Invalid JSON: a VICS document starts with '{' or '['")
        walk = _ev_object if first[0] == "start_map" else _ev_array
        for record in walk(events, is_record):
            done += 1
            yield record
        if next(events, None) is not None:
            raise malformed("Invalid JSON: trailing data after the document")
    except ijson.JSONError as exc:
        text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if "integer overflow" in text:  # yajl stops at 64 bits; Python's json does not
            fh.seek(start)
            wrapped = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="strict")  # type: ignore[arg-type]
            try:
                for i, record in enumerate(iter_records_python(wrapped, is_record)):
                    if i >= done:  # the same records in the same order: skip those yielded
                        yield record
            finally:
                wrapped.detach()
            return
        if "utf8" in text.lower() or "utf-8" in text.lower():
            raise malformed("VICS file is not UTF-8 text.") from None
        raise malformed(f"Invalid JSON: {text}") from None
    except UnicodeDecodeError:
        raise malformed("VICS file is not UTF-8 text.") from None


def _ev_value(events: Iterator[tuple[str, Any]], event: str, value: Any) -> Any:
    """Build one whole value from its first event."""
    if event == "start_map":
        obj: dict[str, Any] = {}
        for event, value in events:
            if event == "end_map":
                return obj
            key = value  # map_key
            event, value = next(events)
            obj[key] = _ev_value(events, event, value)
        raise malformed("Invalid JSON: unexpected end of file")
    if event == "start_array":
        arr: list[Any] = []
        for event, value in events:
            if event == "end_array":
                return arr
            arr.append(_ev_value(events, event, value))
        raise malformed("Invalid JSON: unexpected end of file")
    return value


def _ev_object(
    events: Iterator[tuple[str, Any]], is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[dict[str, Any]]:
    fields: dict[str, Any] = {}
    for event, key in events:
        if event == "end_map":
            if is_record(fields):
                yield fields
            return
        event, value = next(events)
        if key.lower() in CONTAINER_KEYS and event in ("start_map", "start_array"):
            yield from (_ev_array if event == "start_array" else _ev_object)(events, is_record)
        else:
            fields[key] = _ev_value(events, event, value)
    raise malformed("Invalid JSON: unexpected end of file")


def _ev_array(
    events: Iterator[tuple[str, Any]], is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[dict[str, Any]]:
    for event, value in events:
        if event == "end_array":
            return
        if event == "start_map":
            yield from _ev_object(events, is_record)
        elif event == "start_array":
            yield from _ev_array(events, is_record)
        else:
            _ev_value(events, event, value)
    raise malformed("Invalid JSON: unexpected end of file")


def iter_records_python(
    fh: TextIO, is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[dict[str, Any]]:
    """Yield every object (at any depth under container keys) for which ``is_record`` holds
    (the pure-Python walker)."""
    text = _Text(fh)
    first = text.peek()
    if first == "{":
        text.pos += 1
        yield from _object(text, is_record)
    elif first == "[":
        text.pos += 1
        yield from _array(text, is_record)
    else:
        raise text.error("a VICS document starts with '{' or '['")
    if text.peek() != "":
        raise text.error("trailing data after the document")


def _object(text: _Text, is_record: Callable[[dict[str, Any]], bool]) -> Iterator[dict[str, Any]]:
    fields: dict[str, Any] = {}
    if text.peek() == "}":
        text.pos += 1
    else:
        while True:
            if text.peek() != '"':
                raise text.error("expected an object key")
            key = text.value()
            text.take(":")
            nxt = text.peek()
            if key.lower() in CONTAINER_KEYS and nxt in "[{" and nxt:
                text.pos += 1
                yield from (_array if nxt == "[" else _object)(text, is_record)
            else:
                fields[key] = text.value()
            if text.take(",}") == "}":
                break
    if is_record(fields):
        yield fields


def _array(text: _Text, is_record: Callable[[dict[str, Any]], bool]) -> Iterator[dict[str, Any]]:
    if text.peek() == "]":
        text.pos += 1
        return
    while True:
        nxt = text.peek()
        if nxt == "{":
            text.pos += 1
            yield from _object(text, is_record)
        elif nxt == "[":
            text.pos += 1
            yield from _array(text, is_record)
        else:
            text.value()
        if text.take(",]") == "]":
            return
