"""A reader of EWF-E01 images (EnCase 1–7 ``.E01``, ewfacquire's ``encase*``/``ftk``/``linen``
formats) that checks every chunk and decompresses chunks on all cores.

Why our own reader beside libewf (issue 11 item 5, issue 16 items 2–3; ADR 0102, addendum 5):
the Python binding of libewf (``pyewf``) reads a chunk whose checksum is wrong without saying so
and has no call that lists checksum errors, so a corrupt image looked clean; and it inflates one
chunk at a time in one thread. The format is small and documented (Joachim Metz, "Expert Witness
Compression Format (EWF)", libewf documentation, §2 segment file header, §3 section descriptor,
§3.4 volume, §3.9 table, §3.16 hash, §3.17 digest):

- a segment file starts with ``EVF\\x09\\x0d\\x0a\\xff\\x00``, a byte 1, the segment number
  (uint16) and two zero bytes; then a chain of 76-byte *section descriptors* (type, 16 bytes;
  absolute offset of the next section; section size; 40 bytes padding; Adler-32 of the first
  72 bytes), ending in ``next`` (more segments follow) or ``done``;
- ``volume``/``disk``: number of chunks, sectors per chunk, bytes per sector, number of sectors;
- ``table`` (mirrored by ``table2``): entry count, a base offset, a header checksum, then one
  uint32 per chunk: bit 31 = compressed, bits 0–30 = offset from the base; an Adler-32 of the
  entries follows them;
- a compressed chunk is a zlib stream (its own Adler-32 checks the content); an uncompressed
  chunk is followed by an Adler-32 of its bytes;
- ``hash``: the MD5 of the media; ``digest``: MD5 and SHA-1 of the media (acquisition hashes).

What this reader does not understand (EWF2 ``.Ex01``, SMART ``.s01``, an offset table past
2 GiB in one segment) raises :class:`EwfUnsupported`, and the caller falls back to libewf.
A truncated or structurally broken image raises :class:`~comeforward_triage.errors.CorruptImage`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import struct
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..errors import CorruptImage

try:  # Intel ISA-L's inflate: ~2.5× zlib's on EWF chunks, the same zlib format and Adler-32 check
    from isal import isal_zlib as _inflater

    _INFLATE_ERRORS: tuple[type[BaseException], ...] = (zlib.error, _inflater.error)
    INFLATER = "isal"
except ImportError:  # pragma: no cover - isal is part of the 'forensic' extra
    _inflater = zlib  # type: ignore[assignment]
    _INFLATE_ERRORS = (zlib.error,)
    INFLATER = "zlib"

SIGNATURE = b"EVF\x09\x0d\x0a\xff\x00"
DESCRIPTOR = struct.Struct("<16sQQ40sI")
TABLE_HEADER = struct.Struct("<I4sQ4sI")
COMPRESSED = 0x80000000
#: Chunks decoded per task of the parallel pass (32 KiB chunks: 2 MiB per task).
BATCH_CHUNKS = 64
#: Decoded chunks kept for the walk's reads (TSK reads a file's blocks in small pieces, and the
#: media pass decodes ahead of the reads): at least this many, at least CACHE_BYTES.
CACHE_CHUNKS = 256
CACHE_BYTES = 192 << 20
#: How far the media pass may run ahead of the furthest read (within the cache, so that what it
#: decodes is still there when the walk reads it).
AHEAD_BYTES = 64 << 20
#: A read within this distance ahead of the media pass waits for the pass rather than inflating
#: the chunks itself (which the pass would then inflate again once the cache has dropped them).
LEAD_BYTES = 32 << 20
#: Blobs queued on each hash lane at most (memory).
LANE_QUEUE = 8


class EwfUnsupported(Exception):
    """A valid image in a variant this reader does not handle: use libewf instead."""


@dataclass
class ChunkError:
    """A run of chunks whose checksum (or zlib stream) is wrong, in sectors (as ewfverify)."""

    first_sector: int
    sectors: int

    def as_dict(self) -> dict[str, int]:
        return {"first_sector": self.first_sector, "sectors": self.sectors}


@dataclass
class Verification:
    """Result of a full pass over the media."""

    md5: str
    sha1: str
    sha256: str
    bad_chunks: list[int] = field(default_factory=list)


def segment_paths(first: str) -> list[str]:
    """``x.E01`` → ``x.E01, x.E02, … x.E99, x.EAA, … x.EZZ, x.FAA …`` while they exist (libewf's
    naming, ``libewf_filename``); only the first is required."""
    m = re.fullmatch(r"(?s)(.*\.)([EeSs])01", first)
    if m is None:
        return [first]
    base, letter = m.group(1), m.group(2)
    upper = letter.isupper()
    out = [first]
    n = 2
    while True:
        if n <= 99:
            ext = f"{letter}{n:02d}"
        else:
            k = n - 100  # E AA .. E ZZ, then F AA ...
            first_letter = chr(ord(letter.upper()) + k // 676)
            rest = k % 676
            ext = first_letter + chr(ord("A") + rest // 26) + chr(ord("A") + rest % 26)
            if not upper:
                ext = ext.lower()
        path = base + ext
        if not os.path.isfile(path):
            return out
        out.append(path)
        n += 1


class HashLanes:
    """MD5, SHA-1 and SHA-256 of one stream, each on a thread of its own (hashlib releases the
    GIL for large updates), so that the whole-image digests take as long as the slowest of the
    three (MD5, one serial chain) rather than the sum."""

    def __init__(self) -> None:
        self._h = [hashlib.md5(), hashlib.sha1(), hashlib.sha256()]  # noqa: S324 - evidence
        self._lanes = [
            ThreadPoolExecutor(1, thread_name_prefix=f"image-hash-{k}") for k in range(3)
        ]
        self._queued: list[Any] = []

    def update(self, data: bytes) -> None:
        while len(self._queued) > 3 * LANE_QUEUE:
            self._queued.pop(0).result()
        for h, lane in zip(self._h, self._lanes, strict=True):
            self._queued.append(lane.submit(h.update, data))

    def hexdigests(self) -> tuple[str, str, str]:
        for f in self._queued:
            f.result()
        self._queued = []
        md5, sha1, sha256 = (h.hexdigest() for h in self._h)
        return md5, sha1, sha256

    def close(self) -> None:
        for lane in self._lanes:
            lane.shutdown(wait=True)


def _adler(data: bytes | memoryview) -> int:
    return zlib.adler32(data) & 0xFFFFFFFF


class EwfImage:
    """The media of an EWF-E01 image: ``read(offset, size)``, checked chunk by chunk."""

    def __init__(self, path: str, executor: Executor | None = None, jobs: int = 0):
        self.path = path
        self.segments = segment_paths(path)
        self._fds: list[int] = []
        self.jobs = jobs or os.cpu_count() or 1
        self._own_executor = executor is None
        self._executor = executor
        try:
            for seg in self.segments:
                self._fds.append(os.open(seg, os.O_RDONLY | getattr(os, "O_NOATIME", 0)))
        except PermissionError:
            self._fds = [os.open(seg, os.O_RDONLY) for seg in self.segments]
        self._lock = threading.Lock()
        self._moved = threading.Condition(self._lock)
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._inflight: dict[int, threading.Event] = {}
        #: one past the furthest chunk of file content read so far (:meth:`follow`; the media
        #: pass keeps within reach of it)
        self._cursor = 0
        self._pass: threading.Thread | None = None
        self._pass_error: BaseException | None = None
        self._verification: Verification | None = None
        self._stop = threading.Event()
        self._pass_active = False
        #: the first chunk the media pass has not yet claimed
        self._pass_next = 0
        #: chunk index → True when its checksum was wrong (found by any read)
        self.bad: set[int] = set()
        self.stored: dict[str, str] = {}
        try:
            self._parse()
        except BaseException:
            self.close()
            raise

    # -- structure ------------------------------------------------------------------------
    def _parse(self) -> None:
        seg_of: list[int] = []
        offsets: list[int] = []
        sizes: list[int] = []
        flags = bytearray()
        volume: tuple[int, int, int, int] | None = None
        done = False
        for seg_index, (seg, fd) in enumerate(zip(self.segments, self._fds, strict=True)):
            size = os.fstat(fd).st_size
            head = os.pread(fd, 13, 0)
            if len(head) < 13 or head[:8] != SIGNATURE:
                raise CorruptImage(
                    "not an EWF segment file (signature missing)",
                    details={"path": seg, "reason": "bad signature"},
                )
            number = struct.unpack_from("<H", head, 9)[0]
            if number != seg_index + 1:
                raise CorruptImage(
                    f"segment file {seg} is number {number}, expected {seg_index + 1}",
                    details={"path": seg, "reason": "segment out of order"},
                )
            sections: list[tuple[bytes, int, int]] = []
            pos = 13
            last = b""
            while True:
                raw = os.pread(fd, DESCRIPTOR.size, pos)
                if len(raw) < DESCRIPTOR.size:
                    raise CorruptImage(
                        f"the image is truncated: segment file {os.path.basename(seg)} ends at "
                        f"byte {size}, inside the section chain (a section was expected at byte "
                        f"{pos})",
                        details={"path": seg, "reason": "truncated", "offset": pos, "size": size},
                    )
                kind, nxt, ssize, _pad, check = DESCRIPTOR.unpack(raw)
                if _adler(raw[:72]) != check:
                    raise CorruptImage(
                        f"section descriptor at byte {pos} of {os.path.basename(seg)} is "
                        "damaged (checksum mismatch)",
                        details={"path": seg, "reason": "section checksum", "offset": pos},
                    )
                kind = kind.rstrip(b"\0")
                sections.append((kind, pos, ssize))
                last = kind
                if kind in (b"next", b"done"):
                    break
                if nxt <= pos or nxt > size:
                    raise CorruptImage(
                        f"the image is truncated: section {kind.decode(errors='replace')!r} at "
                        f"byte {pos} of {os.path.basename(seg)} points to byte {nxt}, beyond "
                        f"the end of the file ({size} bytes)",
                        details={"path": seg, "reason": "truncated", "offset": pos, "size": size},
                    )
                pos = nxt
            starts = sorted(s[1] for s in sections)
            tables_seen: set[int] = set()  # base offsets whose chunks came from a good table
            for kind, pos, ssize in sections:
                data_at = pos + DESCRIPTOR.size
                if kind in (b"volume", b"disk", b"data") and volume is None:
                    volume = self._volume(fd, seg, data_at, ssize)
                elif kind in (b"table", b"table2"):
                    parsed = self._table(fd, data_at, ssize, starts, size)
                    if parsed is None:
                        continue  # damaged: its mirror (table2) is tried next
                    base, entries = parsed
                    if base in tables_seen:
                        continue  # table2 mirrors a table already read
                    tables_seen.add(base)
                    for off, length, compressed in entries:
                        seg_of.append(seg_index)
                        offsets.append(off)
                        sizes.append(length)
                        flags.append(1 if compressed else 0)
                elif kind == b"hash":
                    data = os.pread(fd, 16, data_at)
                    if len(data) == 16 and any(data):
                        self.stored.setdefault("md5", data.hex())
                elif kind == b"digest":
                    data = os.pread(fd, 36, data_at)
                    if len(data) == 36:
                        if any(data[:16]):
                            self.stored["md5"] = data[:16].hex()
                        if any(data[16:36]):
                            self.stored["sha1"] = data[16:36].hex()
            if last == b"done":
                done = True
                if seg_index + 1 != len(self.segments):
                    self.segments = self.segments[: seg_index + 1]
                    for extra in self._fds[seg_index + 1 :]:
                        os.close(extra)
                    self._fds = self._fds[: seg_index + 1]
                break
        if not done:
            raise CorruptImage(
                "the image is incomplete: the last segment file ends with 'next', so more "
                "segment files were expected",
                details={"path": self.path, "reason": "missing segment", "found": self.segments},
            )
        if volume is None:
            raise EwfUnsupported("no volume section")
        n_chunks, sectors_per_chunk, bytes_per_sector, n_sectors = volume
        self.bytes_per_sector = bytes_per_sector
        self.chunk_size = sectors_per_chunk * bytes_per_sector
        self.media_size = n_sectors * bytes_per_sector
        self.n_chunks = -(-self.media_size // self.chunk_size) if self.chunk_size else 0
        if len(offsets) < self.n_chunks:
            raise CorruptImage(
                f"the image is truncated: its tables list {len(offsets)} of {self.n_chunks} chunks",
                details={"path": self.path, "reason": "truncated", "chunks": len(offsets)},
            )
        self._seg = array("H", seg_of[: self.n_chunks])
        self._off = array("q", offsets[: self.n_chunks])
        self._len = array("q", sizes[: self.n_chunks])
        self._comp = bytes(flags[: self.n_chunks])
        #: chunk index → 1 once decoded and its checksum looked at (by any read or the pass)
        self._checked = bytearray(self.n_chunks)
        self._cache_max = max(CACHE_CHUNKS, CACHE_BYTES // max(1, self.chunk_size))
        #: a read this close ahead of the media pass waits for the pass to inflate it
        self._lead = max(BATCH_CHUNKS * 4, LEAD_BYTES // max(1, self.chunk_size))

    def _volume(self, fd: int, seg: str, at: int, ssize: int) -> tuple[int, int, int, int]:
        if ssize - DESCRIPTOR.size < 94:
            raise EwfUnsupported("volume section too small (SMART format)")
        data = os.pread(fd, 24, at)
        if len(data) < 24:
            raise CorruptImage(
                "the image is truncated inside its volume section",
                details={"path": seg, "reason": "truncated"},
            )
        _media, _unk, chunks, spc, bps, sectors = struct.unpack("<B3sIIIQ", data)
        if not (spc and bps and sectors) or bps % 512 and bps not in (2048, 4096):
            raise EwfUnsupported(f"unusual volume geometry ({spc} × {bps}, {sectors} sectors)")
        return chunks, spc, bps, sectors

    def _table(
        self, fd: int, at: int, ssize: int, starts: list[int], file_size: int
    ) -> tuple[int, list[tuple[int, int, bool]]] | None:
        header = os.pread(fd, TABLE_HEADER.size, at)
        if len(header) < TABLE_HEADER.size:
            return None
        count, _p1, base, _p2, check = TABLE_HEADER.unpack(header)
        if _adler(header[:20]) != check:
            return None
        raw = os.pread(fd, 4 * count + 4, at + TABLE_HEADER.size)
        if len(raw) < 4 * count:
            return None
        if len(raw) == 4 * count + 4 and count and ssize - DESCRIPTOR.size >= 24 + 4 * count + 4:
            (footer,) = struct.unpack_from("<I", raw, 4 * count)
            if _adler(raw[: 4 * count]) != footer:
                return None
        values = struct.unpack_from(f"<{count}I", raw)
        out: list[tuple[int, int, bool]] = []
        prev = -1
        for i, v in enumerate(values):
            off = base + (v & ~COMPRESSED)
            if off <= prev:
                raise EwfUnsupported("chunk offsets do not increase (offset overflow)")
            prev = off
            if i + 1 < count:
                end = base + (values[i + 1] & ~COMPRESSED)
            else:
                later = [s for s in starts if s > off]
                end = min(later) if later else file_size
            out.append((off, end - off, bool(v & COMPRESSED)))
        return base, out

    # -- chunks -----------------------------------------------------------------------------
    def expected(self, i: int) -> int:
        if i == self.n_chunks - 1:
            return self.media_size - i * self.chunk_size
        return self.chunk_size

    def decode(self, i: int) -> tuple[bytes, bool]:
        """Chunk *i*'s bytes and whether its checksum held. A chunk that cannot be inflated is
        returned as zeros (as ``ewfverify -z``); a bad uncompressed chunk as stored."""
        want = self.expected(i)
        raw = os.pread(self._fds[self._seg[i]], self._len[i], self._off[i])
        if self._comp[i]:
            try:
                data = _inflater.decompress(raw)
            except _INFLATE_ERRORS:
                return bytes(want), False
            if len(data) != want:
                return (data + bytes(want))[:want], False
            return data, True
        if len(raw) < want + 4:
            return (raw + bytes(want))[:want], False
        data = raw[:want]
        (check,) = struct.unpack_from("<I", raw, want)
        return data, _adler(data) == check

    def _executor_(self) -> Executor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.jobs, thread_name_prefix="ewf-inflate")
        return self._executor

    def _decode_many(self, indices: Iterable[int]) -> list[tuple[bytes, bool]]:
        return [self.decode(i) for i in indices]

    def _decode_store(self, indices: list[int]) -> list[bytes]:
        """Decode *indices* (claimed as in flight by the caller), then publish them: cache,
        checked/bad marks, and wake whoever waits for them. Runs on an inflate thread, so that
        a reader waiting for a chunk never depends on the thread that claimed it."""
        decoded = self._decode_many(indices)
        with self._lock:
            for i, (data, ok) in zip(indices, decoded, strict=True):
                self._checked[i] = 1
                if not ok:
                    self.bad.add(i)
                self._cache[i] = data
                self._cache.move_to_end(i)
                ev = self._inflight.pop(i, None)
                if ev is not None:
                    ev.set()
            while len(self._cache) > self._cache_max:
                self._cache.popitem(last=False)
        return [d for d, _ok in decoded]

    def _claim(
        self, first: int, last: int, out: list[bytes | None]
    ) -> tuple[list[int], list[tuple[int, threading.Event]]]:
        """Under the lock: fill *out* from the cache; claim the chunks nobody is decoding;
        return those claimed and the events of those another thread is decoding."""
        mine: list[int] = []
        waits: list[tuple[int, threading.Event]] = []
        for i in range(first, last + 1):
            data = self._cache.get(i)
            if data is not None:
                self._cache.move_to_end(i)
                out[i - first] = data
                continue
            ev = self._inflight.get(i)
            if ev is not None:
                waits.append((i, ev))
            else:
                self._inflight[i] = threading.Event()
                mine.append(i)
        return mine, waits

    def _decode_parallel(self, indices: list[int]) -> list[bytes]:
        if len(indices) >= 4 and self.jobs > 1:
            step = -(-len(indices) // self.jobs)
            parts = [indices[k : k + step] for k in range(0, len(indices), step)]
            return [d for part in self._executor_().map(self._decode_store, parts) for d in part]
        return self._decode_store(indices)

    def chunks(self, first: int, last: int) -> list[bytes]:
        """Chunks *first*..*last* (inclusive): from the cache (filled ahead by the media pass,
        :meth:`start_pass`), from the thread already decoding them, or decoded here — in
        parallel when there are several. Each chunk is checked whoever decodes it."""
        out: list[bytes | None] = [None] * (last - first + 1)
        with self._lock:
            # Just ahead of the media pass: let the pass inflate these (it is about to) rather
            # than inflate them here and again in the pass once the cache has let them go.
            # Nothing is claimed before this wait, so the pass never waits for this thread.
            while self._pass_active and self._pass_next <= last < self._pass_next + self._lead:
                self._moved.wait(0.5)
            mine, waits = self._claim(first, last, out)
        if mine:
            for i, data in zip(mine, self._decode_parallel(mine), strict=True):
                out[i - first] = data
        for i, ev in waits:
            ev.wait()
            with self._lock:
                data = self._cache.get(i)
            if data is None:  # evicted already (a tiny cache): decode it again here
                data = self.decode(i)[0]
            out[i - first] = data
        return out  # type: ignore[return-value]

    def follow(self, offset: int) -> None:
        """The walk is about to read file content up to media byte *offset*: the media pass
        may run up to :data:`AHEAD_BYTES` beyond it. Only file content moves this mark — the
        file system's own reads (directories, inode tables) jump about the media and would
        let the pass race ahead of the reads and out of the cache."""
        i = min(offset, self.media_size - 1) // self.chunk_size + 1 if self.chunk_size else 0
        if i > self._cursor:
            with self._lock:
                if i > self._cursor:
                    self._cursor = i
                    self._moved.notify_all()

    def read(self, offset: int, size: int) -> bytes:
        if offset < 0 or size <= 0 or offset >= self.media_size:
            return b""
        size = min(size, self.media_size - offset)
        cs = self.chunk_size
        first, last = offset // cs, (offset + size - 1) // cs
        data = self.chunks(first, last)
        start = offset - first * cs
        if first == last:
            return data[0][start : start + size]
        return b"".join(data)[start : start + size]

    def bad_in(self, ranges: Iterable[tuple[int, int]]) -> list[int]:
        """The damaged chunks among those holding media bytes *ranges* ((offset, length)
        pairs), each checked first if nobody has decoded it yet (fail closed)."""
        cs = self.chunk_size
        wanted: set[int] = set()
        for off, length in ranges:
            if length <= 0 or off >= self.media_size:
                continue
            last = min(off + length, self.media_size) - 1
            wanted.update(range(off // cs, last // cs + 1))
        with self._lock:
            unchecked = sorted(i for i in wanted if not self._checked[i])
        for i in unchecked:
            self.chunks(i, i)
        with self._lock:
            return sorted(i for i in wanted if i in self.bad)

    # -- the whole media ----------------------------------------------------------------------
    def start_pass(self, follow_reads: bool = True) -> None:
        """Start the one pass over the media on a thread of its own (issue 16 item 3): chunks
        decoded in order on all cores, in batches; MD5, SHA-1 and SHA-256 of the media each on a
        thread of their own (hashlib releases the GIL); every decoded chunk goes into the cache
        the walk's reads are served from, so that no chunk is inflated twice while the files
        are read in media order. With *follow_reads* the pass keeps at most
        :data:`AHEAD_BYTES` ahead of the furthest chunk read so far (memory, and so that the
        cache still holds a chunk when its file is read) until :meth:`reads_done`."""
        if self._pass is not None:
            return
        if not follow_reads:
            self._cursor = self.n_chunks + 1
        self._pass_active = True
        self._pass = threading.Thread(target=self._run_pass, name="ewf-media-pass", daemon=True)
        self._pass.start()

    def reads_done(self) -> None:
        """The walk has read what it reads: let the pass run to the end of the media."""
        with self._lock:
            self._cursor = self.n_chunks + 1
            self._moved.notify_all()

    def finish_pass(self) -> Verification:
        """Wait for the pass (started if it was not) and return its result."""
        if self._pass is None:
            self.start_pass(follow_reads=False)
        self.reads_done()
        assert self._pass is not None
        self._pass.join()
        if self._pass_error is not None:
            raise self._pass_error
        assert self._verification is not None
        return self._verification

    def _run_pass(self) -> None:
        try:
            self._verification = self._media_pass()
        except BaseException as exc:  # noqa: BLE001 - re-raised by finish_pass
            self._pass_error = exc
        finally:
            with self._lock:
                self._pass_active = False
                self._moved.notify_all()

    def _media_pass(self) -> Verification:
        ex = self._executor_()
        lanes = HashLanes()
        pending: list[tuple[list[Any], list[int], Any]] = []
        window = max(2, 2 * self.jobs)
        ahead = max(BATCH_CHUNKS * 2, AHEAD_BYTES // max(1, self.chunk_size))
        try:
            for k in range(0, self.n_chunks, BATCH_CHUNKS):
                if self._stop.is_set():
                    break
                end = min(k + BATCH_CHUNKS, self.n_chunks)
                slots: list[Any] = [None] * (end - k)
                with self._lock:
                    while k >= self._cursor + ahead and not self._stop.is_set():
                        self._moved.wait(0.5)
                    mine, waits = self._claim(k, end - 1, slots)
                    self._pass_next = end
                    self._moved.notify_all()
                for i, ev in waits:
                    slots[i - k] = ev
                fut = ex.submit(self._decode_store, mine) if mine else None
                pending.append((k, slots, mine, fut))
                if len(pending) >= window:
                    self._consume(pending.pop(0), lanes)
            while pending:
                self._consume(pending.pop(0), lanes)
            md5, sha1, sha256 = lanes.hexdigests()
        finally:
            lanes.close()
        with self._lock:
            bad = sorted(self.bad)
        return Verification(md5, sha1, sha256, bad_chunks=bad)

    def _consume(self, item: tuple[int, list[Any], list[int], Any], lanes: HashLanes) -> None:
        first, slots, mine, fut = item
        if fut is not None:
            for i, data in zip(mine, fut.result(), strict=True):
                slots[i - first] = data
        for n, slot in enumerate(slots):
            if isinstance(slot, threading.Event):
                slot.wait()
                with self._lock:
                    data = self._cache.get(first + n)
                slots[n] = data if data is not None else self.decode(first + n)[0]
        lanes.update(b"".join(slots))

    def verify(
        self, progress: Callable[[int], None] | None = None, stop: threading.Event | None = None
    ) -> Verification:
        """The whole pass at once (nothing else reading): MD5, SHA-1, SHA-256 and bad chunks."""
        del progress, stop
        return self.finish_pass()

    def errors(self, bad: Iterable[int]) -> list[ChunkError]:
        """Bad chunks as runs of sectors, merged where adjacent (ewfverify's list)."""
        spc = self.chunk_size // self.bytes_per_sector
        out: list[ChunkError] = []
        for i in sorted(set(bad)):
            first = i * spc
            count = self.expected(i) // self.bytes_per_sector
            if out and out[-1].first_sector + out[-1].sectors == first:
                out[-1].sectors += count
            else:
                out.append(ChunkError(first, count))
        return out

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self._moved.notify_all()
        if self._pass is not None:
            self._pass.join()
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = []
        if self._own_executor and self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None
