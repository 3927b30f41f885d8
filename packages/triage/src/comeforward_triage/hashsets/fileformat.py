"""The ``.cfhs`` compiled hash-set file: layout, header checksum, structural checks.

Layout (all integers little-endian)::

    0    8s   magic  b"CFHS\\x89\\r\\n\\x1a"
    8    u16  format version (1)
    10   u16  reserved (0)
    12   u32  meta_len: length of the UTF-8 JSON metadata block at offset 128
    16   u64  file_size: the file's exact length (a truncated file is refused on open)
    24   32s  header_sha256: sha256 of bytes [0, data_offset) with this field zeroed
    56   32s  content_sha256: sha256 of bytes [data_offset, file_size) (checked by verify())
    88   ...  zero padding to 128
    128  meta JSON (counts, category table, source, sections…), zero padding to data_offset
    data_offset (multiple of 4096): sections

Each algorithm section holds N sorted, de-duplicated entries (forensic-triage.md §3.2: sorted
fixed-width array + binary search, memory-mapped), as parallel arrays, each 64-byte aligned:

* layout ``split`` (md5, sha1, sha256): ``keys`` u64[N] = first 8 digest bytes read big-endian
  (so numeric order = byte order, and ``numpy.searchsorted`` works on the mapped array),
  ``rest`` u8[N, width-8], ``codes`` u8[N] (see model.py). MD5 costs 8 + 8 + 1 = 17 bytes/entry.
* layout ``rows`` (pdq): ``rows`` u8[N, 32] in byte order, ``codes`` u8[N]; handed to the
  perceptual matcher without copying.

Every byte of the file is covered by one of the two checksums.
"""

from __future__ import annotations

import hashlib
import json
import struct
from typing import Any, BinaryIO

MAGIC = b"CFHS\x89\r\n\x1a"
FORMAT_VERSION = 1
PREFIX = struct.Struct("<8sHHIQ32s32s")  # 88 bytes
PREFIX_SIZE = 128
HEADER_SHA_SLICE = slice(24, 56)
CONTENT_SHA_SLICE = slice(56, 88)
DATA_ALIGN = 4096
ARRAY_ALIGN = 64
MAX_META_LEN = 16 * 1024 * 1024


def align(value: int, to: int) -> int:
    return (value + to - 1) // to * to


def header_bytes(meta: dict[str, Any], *, file_size: int, content_sha256: bytes) -> bytes:
    """Build the full header (prefix + meta + padding) with its checksum filled in."""
    meta_json = json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8")
    data_offset = data_offset_for(len(meta_json))
    prefix = PREFIX.pack(
        MAGIC, FORMAT_VERSION, 0, len(meta_json), file_size, b"\0" * 32, content_sha256
    )
    header = bytearray(data_offset)
    header[: len(prefix)] = prefix
    header[PREFIX_SIZE : PREFIX_SIZE + len(meta_json)] = meta_json
    header[HEADER_SHA_SLICE] = hashlib.sha256(bytes(header)).digest()
    return bytes(header)


def data_offset_for(meta_len: int) -> int:
    return align(PREFIX_SIZE + meta_len, DATA_ALIGN)


def meta_length(meta: dict[str, Any]) -> int:
    return len(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def copy_into(dst: BinaryIO, src_path: str, hasher: Any, chunk: int = 8 << 20) -> int:
    """Append a file's bytes to ``dst``, feeding ``hasher``; returns bytes copied."""
    total = 0
    with open(src_path, "rb") as src:
        while True:
            block = src.read(chunk)
            if not block:
                return total
            dst.write(block)
            hasher.update(block)
            total += len(block)
