"""coreutils ``md5sum`` / ``sha1sum`` / ``sha256sum`` output (and ``--tag`` BSD style).

Line forms (GNU coreutils manual, "md5sum invocation"): ``HEX␠␠NAME`` (text mode),
``HEX␠*NAME`` (binary marker), a leading ``\\`` when NAME contains backslash or newline escapes,
and ``ALGO (NAME) = HEX`` with ``--tag``. A bare ``HEX`` line is accepted too. Names are not
stored. Blank lines and ``#`` comments are skipped.

Fast path: complete lines are handled with numpy on 8 MiB blocks (hex decoded through a lookup
table); only lines that are not plain ``HEX␠[␠*]…`` go through the per-line parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..model import DIGEST_WIDTHS, NULL_CATEGORY, HashBatch
from .base import ParseStats, malformed

BLOCK = 8 << 20
_HEX_LUT = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX_LUT[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _HEX_LUT[_c] = 10 + _i

_TAG_NAMES = {"md5": ("MD5",), "sha1": ("SHA1",), "sha256": ("SHA256", "SHA2-256")}
_TAG_RE = re.compile(r"^([A-Za-z0-9-]+) ?\((.*)\) ?= ?([0-9A-Fa-f]+)$", re.DOTALL)
_PLAIN_RE = re.compile(r"^([0-9A-Fa-f]+)(?:[ \t][ *]?(.*))?$", re.DOTALL)


def decode_hex_rows(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2w) ASCII hex → (n, w) bytes, plus a bool mask of rows that were valid hex."""
    values = _HEX_LUT[chars]
    valid = ~(values == 255).any(axis=1)
    return (values[:, 0::2] << 4) | values[:, 1::2], valid


class SumParser:
    description = "GNU coreutils checksum lines (text/binary marker, escaped names, --tag)"
    fixed_label = None

    def __init__(self, name: str, algorithm: str):
        self.name = name
        self.algorithm = algorithm
        self.hex_len = DIGEST_WIDTHS[algorithm] * 2

    def parse(self, path: Path, stats: ParseStats) -> Iterator[HashBatch]:
        line_base = 0
        carry = b""
        with open(path, "rb") as fh:
            while True:
                block = fh.read(BLOCK)
                data = carry + block
                if not block:
                    if data:
                        data += b"\n"
                    else:
                        break
                cut = data.rfind(b"\n")
                if cut < 0:
                    carry = data
                    continue
                carry = data[cut + 1 :]
                batch, n_lines = self._parse_lines(data[: cut + 1], line_base, stats)
                line_base += n_lines
                if batch is not None:
                    yield batch
                if not block:
                    break

    def _parse_lines(
        self, chunk: bytes, line_base: int, stats: ParseStats
    ) -> tuple[HashBatch | None, int]:
        arr = np.frombuffer(chunk, dtype=np.uint8)
        ends = np.flatnonzero(arr == 10)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        h = self.hex_len
        fast = (ends - starts) >= h + 2
        cand = starts[fast]
        sep_ok = (arr[np.minimum(cand + h, len(arr) - 1)] == 32) & np.isin(
            arr[np.minimum(cand + h + 1, len(arr) - 1)], (32, 42)
        )
        cand_idx = np.flatnonzero(fast)[sep_ok]
        cand = starts[cand_idx]
        digests, valid = decode_hex_rows(arr[cand[:, None] + np.arange(h)])
        fast_mask = np.zeros(len(starts), dtype=bool)
        fast_mask[cand_idx[valid]] = True
        parts = [digests[valid]]
        slow_lines = np.flatnonzero(~fast_mask)
        if len(slow_lines):
            extra = []
            for i in slow_lines.tolist():
                line = chunk[starts[i] : ends[i]]
                digest = self._parse_slow(line, line_base + i + 1, stats)
                if digest is not None:
                    extra.append(digest)
            if extra:
                parts.append(np.frombuffer(b"".join(extra), dtype=np.uint8).reshape(-1, h // 2))
        result = np.concatenate(parts) if len(parts) > 1 else parts[0]
        stats.records += len(result)
        batch = HashBatch(self.algorithm, result, NULL_CATEGORY) if len(result) else None
        return batch, len(ends)

    def _parse_slow(self, raw: bytes, line_no: int, stats: ParseStats) -> bytes | None:
        text = raw.decode("utf-8", "surrogateescape").rstrip("\r")
        if line_no == 1 and text.startswith("\ufeff"):
            text = text[1:]
        stripped = text.strip()
        if not stripped:
            return None
        if stripped.startswith("#"):
            stats.skip("comment_lines")
            return None
        if text.startswith("\\"):  # escaped file name follows; the hash is unaffected
            text = text[1:]
        tag = _TAG_RE.match(text)
        if tag:
            if tag.group(1).upper() not in _TAG_NAMES[self.algorithm]:
                raise malformed(
                    f"Line {line_no}: --tag line for another algorithm than {self.algorithm}.",
                    line=line_no,
                    format=self.name,
                )
            hex_text = tag.group(3)
        else:
            plain = _PLAIN_RE.match(text)
            if not plain:
                raise malformed(
                    f"Line {line_no}: not a {self.name} line.", line=line_no, format=self.name
                )
            hex_text = plain.group(1)
        if len(hex_text) != self.hex_len:
            raise malformed(
                f"Line {line_no}: expected {self.hex_len} hex characters for {self.algorithm},"
                f" found {len(hex_text)}.",
                line=line_no,
                format=self.name,
            )
        return bytes.fromhex(hex_text)
