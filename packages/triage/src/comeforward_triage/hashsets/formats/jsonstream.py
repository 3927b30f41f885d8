"""Incremental JSON walker: yields the media records of a VICS document one at a time.

VICS documents can be very large, so the whole file is never decoded at once. The walker reads
the text in blocks; inside objects it *descends* into values of container keys (``value``,
``Media``, ``d``, ``results``, ``Cases`` — case-insensitive, covering the VICS 1.x/2.0 hash-set
and case layouts and OData verbose ``{"d": {"results": […]}}`` wrappers, forensic-triage.md
§1.7) and decodes every other value whole with ``json.JSONDecoder.raw_decode``. An object whose
decoded keys include a hash field is reported as a record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

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


def iter_records(
    fh: TextIO, is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[dict[str, Any]]:
    """Yield every object (at any depth under container keys) for which ``is_record`` holds."""
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
