"""``open_hashset``: a memory-mapped, checksummed view of a compiled ``.cfhs`` file.

Opening reads only the header (checks magic, version, exact file size, the header checksum
and each section's bounds, plus a sampled sortedness check) and maps the file read-only: no
entry is loaded into Python objects, so a 100-million-entry set opens in milliseconds and costs
resident memory only for the pages lookups touch (≤ 17 bytes per MD5 entry). ``verify()``
re-reads everything (content checksum + full sortedness). Lookups are binary searches
(``numpy.searchsorted``) over the sorted 64-bit key column (forensic-triage.md §3.2); queries
are sorted first, which the research measured as ~9× faster than random order.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
from pathlib import Path
from typing import Any

import numpy as np

from comeforward_triage.errors import CorruptHashSet, InvalidHash

from . import fileformat as ff
from .model import (
    ALGORITHMS,
    CATEGORY_LABELS,
    CATEGORY_MASK,
    DIGEST_WIDTHS,
    EXACT_ALGORITHMS,
    Entry,
)

SAMPLE = 4096
VERIFY_CHUNK = 16 << 20
FENCE = 512  # keys per 4 KiB page: one fence key per page of the key column


def _corrupt(path: Path, reason: str, **details: Any) -> CorruptHashSet:
    return CorruptHashSet(
        f"Hash set {path.name} is corrupt or truncated: {reason}",
        details={"path": str(path), "reason": reason, **details},
    )


class _Section:
    def __init__(self, spec: dict[str, Any], buf: memoryview | mmap.mmap, data_offset: int):
        self.algorithm: str = spec["algorithm"]
        self.count: int = int(spec["count"])
        self.width: int = DIGEST_WIDTHS[self.algorithm]
        arrays = spec["arrays"]

        def view(name: str, dtype: str, width: int) -> np.ndarray:
            off = data_offset + int(arrays[name]["offset"])
            arr = np.frombuffer(
                buf, dtype=dtype, count=self.count * (width if dtype == "u1" else 1), offset=off
            )
            return arr.reshape(self.count, width) if dtype == "u1" and width > 1 else arr

        self.codes = view("codes", "u1", 1)
        self._fences: np.ndarray | None = None
        if spec["layout"] == "rows":
            self.rows: np.ndarray | None = view("rows", "u1", self.width)
            self.keys: np.ndarray | None = None
            self.rest: np.ndarray | None = None
        else:
            self.rows = None
            self.keys = view("keys", "<u8", 1)
            self.rest = view("rest", "u1", self.width - 8)

    def lower_bound(self, sorted_queries: np.ndarray) -> np.ndarray:
        """First index with ``keys[i] >= q`` for each query (like ``searchsorted(side="left")``).

        Two levels: a fence array (every 512th key, built on first use, ~1.5 MiB per 100 M
        entries, stays in cache) picks the 4 KiB page, then a vectorised 10-step bisection
        inside that page. Plain ``searchsorted`` over a 100 M mapped array is bound by memory
        latency (each probe a cache/TLB miss); this keeps the probes inside one page.
        """
        keys = self.keys
        assert keys is not None
        n = self.count
        if self._fences is None:
            self._fences = np.ascontiguousarray(keys[::FENCE])
        block = np.searchsorted(self._fences, sorted_queries, side="left").astype(np.int64) - 1
        lo = np.where(block < 0, 0, block * FENCE)
        hi = np.where(block < 0, 0, np.minimum(lo + FENCE, n))
        lo = np.where(block < 0, lo, lo + 1)  # keys[block * FENCE] < q strictly
        for _ in range(FENCE.bit_length() + 1):
            active = lo < hi
            if not active.any():
                break
            mid = (lo + hi) // 2
            right = active & (keys[np.minimum(mid, n - 1)] < sorted_queries)
            lo = np.where(right, mid + 1, lo)
            hi = np.where(active & ~right, mid, hi)
        return lo


class HashSet:
    """A compiled reference hash set (read-only). Use :func:`open_hashset`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._fh = open(self.path, "rb")  # noqa: SIM115 (closed by close())
        except FileNotFoundError:
            raise CorruptHashSet(
                f"Hash set {self.path} not found.",
                details={"path": str(self.path), "reason": "missing"},
            ) from None
        try:
            self._open()
        except BaseException:
            self._fh.close()
            raise
        self._sha256: str | None = None

    # ------------------------------------------------------------------ opening
    def _open(self) -> None:
        size = os.fstat(self._fh.fileno()).st_size
        if size < ff.PREFIX_SIZE:
            raise _corrupt(self.path, "file shorter than the header", size=size)
        prefix = self._fh.read(ff.PREFIX_SIZE)
        magic, version, _reserved, meta_len, file_size, header_sha, content_sha = ff.PREFIX.unpack(
            prefix[: ff.PREFIX.size]
        )
        if magic != ff.MAGIC:
            raise _corrupt(self.path, "not a .cfhs file (bad magic)")
        if version != ff.FORMAT_VERSION:
            raise _corrupt(self.path, "unsupported format version", version=version)
        if file_size != size:
            raise _corrupt(
                self.path, "file size differs from the header", expected=file_size, actual=size
            )
        if meta_len > ff.MAX_META_LEN:
            raise _corrupt(self.path, "metadata length out of range")
        data_offset = ff.data_offset_for(meta_len)
        if data_offset > size:
            raise _corrupt(self.path, "header longer than the file")
        self._fh.seek(0)
        header = bytearray(self._fh.read(data_offset))
        header[ff.HEADER_SHA_SLICE] = b"\0" * 32
        if hashlib.sha256(bytes(header)).digest() != header_sha:
            raise _corrupt(self.path, "header checksum mismatch")
        try:
            meta = json.loads(
                bytes(header[ff.PREFIX_SIZE : ff.PREFIX_SIZE + meta_len]).decode("utf-8")
            )
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _corrupt(self.path, "metadata is not JSON") from None
        self.meta: dict[str, Any] = meta
        self._content_sha = content_sha
        self._data_offset = data_offset
        self._mm = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._sections: dict[str, _Section] = {}
        data_size = size - data_offset
        if meta.get("data_size") != data_size or list(meta.get("category_table", [])) != list(
            CATEGORY_LABELS
        ):
            raise _corrupt(self.path, "metadata inconsistent with the file")
        for spec in meta["sections"]:
            self._check_section(spec, data_size)
            self._sections[spec["algorithm"]] = _Section(spec, self._mm, data_offset)
        for section in self._sections.values():
            self._check_sorted(section, sample=True)

    def _check_section(self, spec: dict[str, Any], data_size: int) -> None:
        algorithm = spec.get("algorithm")
        if algorithm not in DIGEST_WIDTHS or algorithm in self._sections:
            raise _corrupt(self.path, "unknown or repeated section")
        count = int(spec["count"])
        width = DIGEST_WIDTHS[algorithm]
        expected = {
            "codes": 1,
            **({"rows": width} if spec["layout"] == "rows" else {"keys": 8, "rest": width - 8}),
        }
        if set(spec["arrays"]) != set(expected) or count < 0:
            raise _corrupt(self.path, "section layout inconsistent", algorithm=algorithm)
        for name, w in expected.items():
            off = int(spec["arrays"][name]["offset"])
            if off < 0 or off % 8 or off + count * w > data_size:
                raise _corrupt(
                    self.path, "section outside the file", algorithm=algorithm, array=name
                )

    def _check_sorted(self, section: _Section, *, sample: bool) -> None:
        n = section.count
        if n < 2:
            return
        if sample:
            idx = np.unique(np.linspace(0, n - 1, min(n, SAMPLE)).astype(np.int64))
            ok = self._keys_sorted(section, idx)
        else:
            ok = all(
                self._keys_sorted(section, np.arange(lo, min(n, lo + 4_000_001)))
                for lo in range(0, n - 1, 4_000_000)
            )
        if not ok:
            raise _corrupt(
                self.path, "entries are not in sorted order", algorithm=section.algorithm
            )

    @staticmethod
    def _keys_sorted(section: _Section, idx: np.ndarray) -> bool:
        if section.keys is not None:
            k = section.keys[idx]
        else:
            assert section.rows is not None
            k = section.rows[idx, :8].copy().view(">u8").ravel()
        return bool(np.all(k[1:] >= k[:-1]))

    # ------------------------------------------------------------------ properties
    @property
    def name(self) -> str:
        return str(self.meta["name"])

    @property
    def entries(self) -> dict[str, int]:
        # "vpdq" (video frames) only where the set holds some: sets without video look as before
        return {
            a: (self._sections[a].count if a in self._sections else 0)
            for a in ALGORITHMS
            if a != "vpdq" or a in self._sections
        }

    @property
    def total_entries(self) -> int:
        return sum(self.entries.values())

    @property
    def categories(self) -> tuple[str, ...]:
        """Category label per code (index = code returned by ``lookup_many``)."""
        return CATEGORY_LABELS

    @property
    def sha256(self) -> str:
        """Hex sha256 of the whole ``.cfhs`` file (computed on first use, then cached)."""
        if self._sha256 is None:
            h = hashlib.sha256()
            for lo in range(0, len(self._mm), VERIFY_CHUNK):
                h.update(self._mm[lo : lo + VERIFY_CHUNK])
            self._sha256 = h.hexdigest()
        return self._sha256

    # ------------------------------------------------------------------ lookups
    def lookup(self, algorithm: str, digest: bytes) -> Entry | None:
        """Exact lookup of one digest (raw bytes) → :class:`Entry` or None."""
        width = self._width(algorithm)
        if not isinstance(digest, (bytes, bytearray, memoryview)) or len(digest) != width:
            raise InvalidHash(
                f"A {algorithm} digest is {width} bytes.", details={"algorithm": algorithm}
            )
        codes = self.lookup_many(
            algorithm, np.frombuffer(bytes(digest), dtype=np.uint8)[None, :], flags=True
        )
        return None if codes[0] < 0 else Entry.from_code(int(codes[0]))

    def lookup_many(
        self, algorithm: str, digests: np.ndarray, *, flags: bool = False
    ) -> np.ndarray:
        """Vectorised lookup. ``digests``: uint8 (n, width) or a 1-D bytes (``S``/``V``) array.

        Returns int16 category codes (index into :attr:`categories`), -1 where absent; with
        ``flags=True`` the full code byte (category + series + victim bits, see model.py).
        """
        width = self._width(algorithm)
        q = np.asarray(digests)
        if q.dtype.kind in "SV":
            if q.dtype.itemsize != width:
                raise InvalidHash(
                    f"A {algorithm} digest is {width} bytes.", details={"algorithm": algorithm}
                )
            q = np.frombuffer(np.ascontiguousarray(q).tobytes(), dtype=np.uint8).reshape(-1, width)
        if q.ndim != 2 or q.shape[1] != width or q.dtype != np.uint8:
            raise InvalidHash(
                f"{algorithm} digests must be a uint8 array of shape (n, {width}).",
                details={"algorithm": algorithm, "shape": list(q.shape), "dtype": str(q.dtype)},
            )
        result = np.full(len(q), -1, dtype=np.int16)
        section = self._sections.get(algorithm)
        if section is None or section.count == 0 or len(q) == 0:
            return result
        assert section.keys is not None and section.rest is not None
        qk = np.ascontiguousarray(q[:, :8]).view(">u8").ravel().astype("<u8")
        order = np.argsort(qk)
        sk = qk[order]
        pos = section.lower_bound(sk)
        inside = pos < section.count
        cand = np.flatnonzero(inside)
        cand = cand[section.keys[pos[cand]] == sk[cand]]
        if len(cand):
            qrest = q[order[cand], 8:]
            hit = (section.rest[pos[cand]] == qrest).all(axis=1)
            found = cand[hit]
            result[order[found]] = section.codes[pos[found]]
            # same 8-byte key but different tail: scan the (rare) run of equal keys
            for i in cand[~hit].tolist():
                j = int(pos[i]) + 1
                while j < section.count and section.keys[j] == sk[i]:
                    if (section.rest[j] == q[order[i], 8:]).all():
                        result[order[i]] = section.codes[j]
                        break
                    j += 1
        if not flags:
            result = np.where(result < 0, result, result & CATEGORY_MASK).astype(np.int16)
        return result

    def pdq_hashes(self, *, flags: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(uint8 [N, 32] PDQ hashes, int16 category codes); the hashes are a read-only view
        on the mapped file. With ``flags=True`` the codes are the full code bytes (category +
        VICS series / victim bits, see model.py; decode with :meth:`Entry.from_code`)."""
        section = self._sections.get("pdq")
        if section is None:
            return np.empty((0, 32), dtype=np.uint8), np.empty(0, dtype=np.int16)
        assert section.rows is not None
        codes = section.codes if flags else section.codes & CATEGORY_MASK
        return section.rows, codes.astype(np.int16)

    def vpdq_rows(self, *, flags: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(uint8 [N, 36] vPDQ frames — video number big-endian + PDQ hash —, int16 codes), as
        :meth:`pdq_hashes`; :func:`comeforward_triage.vpdq.group_reference` groups them."""
        section = self._sections.get("vpdq")
        if section is None:
            return np.empty((0, 36), dtype=np.uint8), np.empty(0, dtype=np.int16)
        assert section.rows is not None
        codes = section.codes if flags else section.codes & CATEGORY_MASK
        return section.rows, codes.astype(np.int16)

    def _width(self, algorithm: str) -> int:
        if algorithm not in EXACT_ALGORITHMS:
            raise InvalidHash(
                f"Exact lookup supports {', '.join(EXACT_ALGORITHMS)}; not {algorithm!r}.",
                details={"algorithm": algorithm},
            )
        return DIGEST_WIDTHS[algorithm]

    # ------------------------------------------------------------------ integrity
    def verify(self) -> None:
        """Full check: content checksum over every data byte and sortedness of every section.

        Raises :class:`CorruptHashSet`. Also caches :attr:`sha256` (same pass).
        """
        content = hashlib.sha256()
        whole = hashlib.sha256()
        whole.update(self._mm[: self._data_offset])
        for lo in range(self._data_offset, len(self._mm), VERIFY_CHUNK):
            block = self._mm[lo : min(len(self._mm), lo + VERIFY_CHUNK)]
            content.update(block)
            whole.update(block)
        if content.digest() != self._content_sha:
            raise _corrupt(self.path, "content checksum mismatch")
        for section in self._sections.values():
            self._check_sorted(section, sample=False)
            if section.count and int(np.max(section.codes & CATEGORY_MASK)) >= len(CATEGORY_LABELS):
                raise _corrupt(self.path, "invalid category code", algorithm=section.algorithm)
        self._sha256 = whole.hexdigest()

    def info(self) -> dict[str, Any]:
        """What ``hashset info`` prints."""
        m = self.meta
        return {
            "name": self.name,
            "path": str(self.path),
            "sha256": self.sha256,
            "format_version": ff.FORMAT_VERSION,
            "entries": self.entries,
            "total_entries": self.total_entries,
            "categories": m["category_counts"],
            "category_table": m["category_table"],
            "source": m["source"],
            "created": m["created"],
            "input_sha256": m["source"]["sha256"],
            "profile": m["profile"],
            "needs_legal_signoff": m["needs_legal_signoff"],
            "duplicates_merged": m["duplicates_merged"],
            "conflicting_duplicates": m["conflicting_duplicates"],
        }

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        self._sections = {}
        # numpy views may still be alive; the mapping then closes when they are released
        with contextlib.suppress(BufferError):
            self._mm.close()
        self._fh.close()

    def __enter__(self) -> HashSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HashSet({str(self.path)!r}, entries={self.entries})"


def open_hashset(path: str | Path) -> HashSet:
    """Open a compiled set; raises :class:`CorruptHashSet` if it is corrupt or truncated."""
    return HashSet(path)
