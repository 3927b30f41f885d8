"""One sequential reader per source, hashing spread over worker threads.

Design from forensic-triage.md §4: MD5+SHA-1+SHA-256 together run at ~445 MiB/s per core and
scale ~2× on two cores with one file per thread (hashlib releases the GIL for large updates);
spinning disks collapse under parallel readers (hashdeep #325), so there is exactly one reader
thread doing sequential reads, and ``jobs`` hashing threads. Small files travel in batches (one
queue operation per ~1 MiB) so per-file overhead stays low; large files are streamed in
1 MiB chunks through a per-file channel. A byte budget bounds the memory held in flight.

Where the source allows it (a directory tree, ``Source.PARALLEL_SMALL_READS``), small files
(< 1 MiB) are opened and read by the hashing thread that hashes them; the reader only walks,
and takes back any that turn out to be archives (ADR 0102). Reads ask for the recorded size + 1
bytes, never a whole chunk, for small files (ADR 0102, "size-hinted reads").

For a directory tree with ``jobs`` ≥ 2 the walk itself is shared out to worker processes
(:mod:`.procpool`, chosen by :mod:`.pipeline`; ADR 0102 addendum 2): the reader thread then
only hands out units and walks the archives the workers hand back.

ZIP/TAR archives are walked by the reader after the archive itself has been queued
(see :mod:`comeforward_triage.containers`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from . import filetype, native
from .containers import ArchiveError, ArchiveLimits, ExhibitBudget, iter_members
from .sources.base import EvidenceFile, Readable

CHUNK = 1 << 20
BATCH_BYTES = 1 << 20
BATCH_FILES = 256
EOF_PROBE = 1 << 12
READ_ERRORS = (OSError, EOFError, ValueError, RuntimeError, zipfile.BadZipFile, zlib.error)

#: ``data -> (hex hash, quality)`` or ``(hex hash, quality, eight dihedral hex hashes)``; the
#: variants travel in the journal as ``pdq_dihedral`` for the matching phase (pdqmatch.py) and
#: are dropped from ``files.jsonl``.
PdqFunc = Callable[[bytes], tuple[Any, ...] | None]
DIHEDRAL_KEY = "pdq_dihedral"


class ByteBudget:
    """Bounds the bytes read but not yet hashed (memory in flight)."""

    def __init__(self, cap: int):
        self.cap = cap
        self.used = 0
        self._cond = threading.Condition()

    def acquire(self, n: int) -> None:
        with self._cond:
            while self.used > 0 and self.used + n > self.cap:
                self._cond.wait()
            self.used += n

    def release(self, n: int) -> None:
        with self._cond:
            self.used -= n
            self._cond.notify_all()


@dataclass
class Task:
    ef: EvidenceFile
    parent: str | None
    data: bytes | None = None
    channel: queue.Queue[Any] | None = None
    error_code: str | None = None  # the entry itself cannot be read (``ef.opener`` is None)
    error: str | None = None
    failed: Outcome | None = None  # reading it failed in the reader (record_for decides)
    deferred: bool = False  # the hashing thread opens and reads the file itself (ADR 0102)
    reply: queue.Queue[Any] | None = None


@dataclass
class WalkRequest:
    """From a hashing thread to the reader: a file it read turned out to be an archive."""

    ef: EvidenceFile
    kind: str | None
    read_failed: bool


@dataclass
class DeferredDone:
    """From a hashing thread to the reader: *count* deferred files finished, with *walks*."""

    count: int
    walks: list[WalkRequest]


@dataclass
class ContainerEnd:
    """Sent by the reader once every member of an archive has been queued."""

    key: str
    parent: str | None
    members: list[str]
    error_code: str | None = None
    error: str | None = None
    #: expanded / stored bytes of the direct members counted against the exhibit budget
    expanded: int = 0
    stored: int = 0


@dataclass
class ReaderDone:
    error: BaseException | None = None


@dataclass
class Result:
    key: str
    parent: str | None
    record: dict[str, Any]
    nbytes: int
    #: the journal line, when a worker process has matched the record and serialised it
    line: str | None = None


class WorkerBatch:
    """Records a worker process finished, as it sent them: ``(key, record, bytes hashed,
    journal line)`` each, matched and serialised already. Files of a directory, never archive
    members (no parent). Passed to the main thread whole: no :class:`Result` per file
    (issue 16 item 4)."""

    __slots__ = ("done",)

    def __init__(self, done: list[tuple[str, dict[str, Any], int, str]]):
        self.done = done


_END = object()
_DETECT = object()  # Hasher._typed: detect the type from the head


@dataclass
class ResumeState:
    """What a previous, interrupted run already finished."""

    done: dict[str, str | None] = field(default_factory=dict)  # key -> detected type
    containers_done: set[str] = field(default_factory=set)
    #: expanded / stored member bytes of the archives already complete (exhibit budget)
    archive_expanded: int = 0
    archive_stored: int = 0


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:300] if text else type(exc).__name__


class Reader:
    """Reads every file of the walk, in order, exactly once (the only thread touching I/O)."""

    def __init__(
        self,
        walk: Iterable[EvidenceFile],
        work_q: queue.Queue[Any],
        result_q: queue.Queue[Any],
        budget: ByteBudget,
        limits: ArchiveLimits,
        resume: ResumeState,
        spool_dir: str | None,
        stop: threading.Event,
        *,
        defer_small: bool = False,
        pool: Any = None,
        root: bytes | None = None,
    ):
        self.walk = walk
        self.work_q = work_q
        self.result_q = result_q
        self.budget = budget
        self.limits = limits
        self.resume = resume
        self.spool_dir = spool_dir
        self.stop = stop
        self.defer_small = defer_small and pool is None
        self.pool = pool  # a procpool.WorkerPool: workers walk and hash the tree (ADR 0102)
        self.root = root
        self._batch: list[Task] = []
        self._batch_bytes = 0  # bytes read into the batch (held against the budget)
        self._batch_work = 0  # bytes of content the batch stands for (read or deferred)
        self._back_q: queue.Queue[DeferredDone] = queue.Queue()
        self._outstanding = 0  # deferred files whose DeferredDone has not come back
        #: all archives of the run together (issue 11 item 8); only this thread touches it
        self.exhibit = ExhibitBudget(resume.archive_expanded, resume.archive_stored)

    def run(self) -> None:
        error: BaseException | None = None
        try:
            if self.pool is not None:
                self._run_pool()
            else:
                for ef in self.walk:
                    if self.stop.is_set():
                        break
                    self._process(ef, parent=None, depth=0, tree=None)
            self._flush()
            while self._outstanding and not self.stop.is_set():
                with contextlib.suppress(queue.Empty):
                    self._handle(self._back_q.get(timeout=0.2))
                self._flush()
            self._flush()
        except BaseException as exc:  # reported to the main thread, which re-raises
            error = exc
        finally:
            self.result_q.put(ReaderDone(error))

    def _run_pool(self) -> None:
        """Hand the tree to the worker processes unit by unit (:mod:`.procpool`): large files
        first (so that no core is left with one at the end), then directories depth first.
        Their records go straight to the main thread; archives they find are walked here."""
        from .procpool import unit_file

        pool = self.pool
        files: list[Any] = []
        dirs: list[Any] = [("dir", self.root, "", None)]

        def feed() -> None:
            while pool.can_take() and (files or dirs):
                pool.submit(files.pop() if files else dirs.pop())

        while (files or dirs or pool.pending) and not self.stop.is_set():
            feed()
            backs: list[Any] = []
            for done, new_files, new_dirs, back in pool.replies(timeout=0.2):
                if done:
                    self.result_q.put(WorkerBatch(done))
                files[:0] = reversed(new_files)
                dirs.extend(reversed(new_dirs))
                backs.extend(back)
            feed()  # keep the workers busy while the archives they found are walked here
            for b in backs:
                ef = unit_file(b[1])
                if b[0] == "walk":
                    self._after_read(ef, ef.key, None, b[2], None, b[3], 0, None)
                else:
                    self._process(ef, parent=None, depth=0, tree=None)
            if backs:
                self._flush()

    # -- queueing -----------------------------------------------------------------------
    def _put_batch(self) -> None:
        if self._batch:
            # One budget acquisition per batch (not per file): the batch itself is bounded by
            # BATCH_BYTES + one small file, so memory in flight stays within cap + 2 MiB.
            if self._batch_bytes:
                self.budget.acquire(self._batch_bytes)
            self.work_q.put(self._batch)
            self._batch = []
            self._batch_bytes = 0
            self._batch_work = 0

    def _flush(self) -> None:
        """Send the batch, walk the archives the hashing threads found since, and send what
        that walk queued too: nothing may be left in the batch when the reader says it is
        done (archive members were lost that way when the last reply arrived here)."""
        self._put_batch()
        while self._outstanding:  # walk archives the hashing threads found, as they come back
            try:
                done = self._back_q.get_nowait()
            except queue.Empty:
                break
            self._handle(done)
            self._put_batch()

    def _handle(self, done: DeferredDone) -> None:
        self._outstanding -= done.count
        for w in done.walks:
            self._after_read(w.ef, w.ef.key, None, w.kind, None, w.read_failed, 0, None)

    def _queue_small(self, task: Task, work: int = 0) -> None:
        self._batch.append(task)
        if task.data is not None:
            self._batch_bytes += len(task.data)
            work = len(task.data)
        self._batch_work += work
        if self._batch_work >= BATCH_BYTES or len(self._batch) >= BATCH_FILES:
            self._flush()

    # -- one file -----------------------------------------------------------------------
    def _process(
        self, ef: EvidenceFile, parent: str | None, depth: int, tree: list[int] | None
    ) -> None:
        key = ef.key
        done = key in self.resume.done
        if done:
            kind = self.resume.done[key]
            if not filetype.is_container(kind) or key in self.resume.containers_done:
                return
        if ef.opener is None:
            self._queue_small(Task(ef, parent, error_code=ef.error_code, error=ef.error))
            return
        if self.defer_small and parent is None and not done and 0 <= ef.size < CHUNK:
            self._outstanding += 1
            self._queue_small(Task(ef, parent, deferred=True, reply=self._back_q), ef.size)
            return
        try:
            stream = ef.opener()
        except READ_ERRORS as exc:
            self._queue_small(Task(ef, parent, failed=Outcome(OPEN_FAILED, _describe(exc))))
            return
        spool: IO[bytes] | None = None
        reader = FileReader(stream, ef.size)
        try:
            first, whole = reader.first()
        except ReadFailed as f:
            _close(stream)
            if not done or f.stage == FIRST_READ_FAILED:
                self._queue_small(Task(ef, parent, failed=Outcome(f.stage, f.error, head=f.head)))
            if f.head is not None and filetype.is_container(filetype.detect(f.head)):
                kind = filetype.detect(f.head)
                self._after_read(ef, key, parent, kind, None, True, depth, tree)
            return
        kind = filetype.detect_first(first)
        walk_it = filetype.is_container(kind)
        if walk_it and parent is not None:
            spool = tempfile.SpooledTemporaryFile(self.limits.spool_in_memory, dir=self.spool_dir)  # noqa: SIM115
        if done and spool is None:
            read_failed = False  # hashed before; only the (re)walk of its members is left
        else:
            read_failed = self._stream(ef, parent, reader, first, whole, spool, hash_it=not done)
        _close(stream)
        if walk_it:
            self._after_read(ef, key, parent, kind, spool, read_failed, depth, tree)

    def _after_read(
        self,
        ef: EvidenceFile,
        key: str,
        parent: str | None,
        kind: str | None,
        spool: IO[bytes] | None,
        read_failed: bool,
        depth: int,
        tree: list[int] | None,
    ) -> None:
        """An archive has been read (and queued for hashing): walk its members."""
        members: list[str] = []
        if read_failed:
            self.result_q.put(
                ContainerEnd(
                    key,
                    parent,
                    members,
                    "CORRUPT_ARCHIVE",
                    "archive could not be read in full; not walked",
                )
            )
            return
        if depth >= self.limits.max_depth:
            self.result_q.put(
                ContainerEnd(
                    key,
                    parent,
                    members,
                    "ARCHIVE_DEPTH_LIMIT",
                    f"archive nested {depth} deep reaches the limit of {self.limits.max_depth}; "
                    "not expanded",
                )
            )
            return
        self._walk_container(ef, key, parent, kind, spool, depth, tree if tree is not None else [0])

    def _walk_container(
        self,
        ef: EvidenceFile,
        key: str,
        parent: str | None,
        kind: str | None,
        spool: IO[bytes] | None,
        depth: int,
        tree: list[int],
    ) -> None:
        members: list[str] = []
        error: tuple[str, str] | None = None
        fh: Any = None
        own = [0, 0]  # expanded / stored bytes of this archive's own members (for the journal)
        try:
            if spool is not None:
                spool.seek(0)
                fh = spool
            else:
                fh = ef.opener()  # type: ignore[misc]
            for m in iter_members(kind or "", fh, self.limits, self.spool_dir):
                child = EvidenceFile(
                    path=f"{ef.path}!/{m.name}",
                    size=m.size,
                    opener=m.opener,
                    deleted=ef.deleted,
                    mtime=m.mtime,
                    error_code=m.error_code,
                    error=m.error,
                    skipped=m.skipped,
                    warnings=m.warnings,
                )
                if child.opener is not None and tree[0] + m.size > self.limits.max_total_bytes:
                    child = EvidenceFile(
                        path=child.path,
                        size=m.size,
                        opener=None,
                        deleted=ef.deleted,
                        mtime=m.mtime,
                        warnings=m.warnings,
                        error_code="ARCHIVE_TOTAL_LIMIT",
                        error=(
                            f"expanding this member would pass the limit of "
                            f"{self.limits.max_total_bytes} bytes per archive; not read"
                        ),
                    )
                elif child.opener is not None:
                    refused = self.exhibit.check(m.size, m.stored, self.limits)
                    if refused is not None:
                        child = EvidenceFile(
                            path=child.path,
                            size=m.size,
                            opener=None,
                            deleted=ef.deleted,
                            mtime=m.mtime,
                            warnings=m.warnings,
                            error_code=refused[0],
                            error=refused[1],
                        )
                    else:
                        tree[0] += m.size
                        own[0] += m.size
                        own[1] += m.stored
                members.append(child.key)
                self._process(child, parent=key, depth=depth + 1, tree=tree)
        except ArchiveError as exc:
            error = (exc.code, exc.message)
        except READ_ERRORS as exc:
            error = ("CORRUPT_ARCHIVE", _describe(exc))
        finally:
            if fh is not None and fh is not spool:
                _close(fh)
            if spool is not None:
                spool.close()
        self.result_q.put(
            ContainerEnd(
                key,
                parent,
                members,
                *(error or (None, None)),
                expanded=own[0],
                stored=own[1],
            )
        )

    def _stream(
        self,
        ef: EvidenceFile,
        parent: str | None,
        reader: FileReader,
        first: bytes,
        whole: bool,
        spool: IO[bytes] | None,
        *,
        hash_it: bool,
    ) -> bool:
        """Queue the content for hashing (and copy it to *spool*); True if a read failed."""
        if spool is not None:
            spool.write(first)
        if whole:
            if hash_it:
                self._queue_small(Task(ef, parent, data=first))
            return False
        channel: queue.Queue[Any] | None = None
        if hash_it:
            self._flush()
            channel = queue.Queue()
            self.work_q.put(Task(ef, parent, channel=channel))
        chunk = first
        failed = False
        while chunk:
            if channel is not None:
                self.budget.acquire(len(chunk))
                channel.put(chunk)
            try:
                chunk = reader.more()
            except ReadFailed as f:
                if channel is not None:
                    channel.put(f)
                    channel = None
                failed = True
                break
            if chunk and spool is not None:
                spool.write(chunk)
        if channel is not None:
            channel.put(_END)
        return failed


def first_read_size(size_hint: int) -> int:
    """Bytes to ask for first: the recorded size + 1 (so one read normally reaches EOF), at most
    :data:`CHUNK`. Asking a small file for a whole chunk allocates (and frees) a 1 MiB buffer
    per file, which measured ~15 µs per file — more than opening and reading it."""
    return CHUNK if size_hint >= CHUNK or size_hint < 0 else size_hint + 1


def _close(stream: Any) -> None:
    close = getattr(stream, "close", None)
    if close is not None:
        with contextlib.suppress(READ_ERRORS):
            close()


def base_record(ef: EvidenceFile) -> dict[str, Any]:
    warnings = list(ef.warnings)
    if ef.skipped:
        warnings.append(f"SKIPPED: {ef.skipped}")
    return {
        "path": ef.path,
        "size": ef.size,
        "md5": None,
        "sha1": None,
        "sha256": None,
        "type": None,
        "is_image": False,
        "pdq": None,
        "pdq_quality": None,
        "deleted": ef.deleted,
        "inode": ef.inode,
        "mtime": ef.mtime,
        # an entry that is read but known to be damaged (e.g. CHUNK_CHECKSUM_ERROR in an E01)
        "error": None if ef.opener is None or not ef.error_code else f"{ef.error_code}: {ef.error}",
        "error_code": None if ef.opener is None else ef.error_code,
        "warnings": warnings,
    }


#: How reading a file ended — the same numbers as the native core's result stage (_native.c).
OK, OPEN_FAILED, FIRST_READ_FAILED, PROBE_FAILED, LATER_READ_FAILED = range(5)


@dataclass(slots=True)
class Outcome:
    """What reading and digesting one file came to (issue 19 item 6): one shape for every
    path — :func:`read_and_digest` (Python), the native core (:func:`from_native`) and the
    sequential reader with its hashing threads — turned into a record by :func:`record_for`
    alone, so the paths cannot drift apart."""

    stage: int
    error: str | None = None  # what failed (strerror or the exception's first line)
    nbytes: int = 0  # bytes read (and digested) — up to the failure for LATER_READ_FAILED
    digests: tuple[str, str, str] | None = None  # (md5, sha1, sha256) when OK
    head: bytes | None = None  # the first bytes, for type detection (from PROBE_FAILED on)
    data: bytes | None = None  # the whole content when kept (perceptual hashing of images)
    #: the type when the reader saw more than *head* (:func:`.filetype.detect_first`: ISO 9660's
    #: identifier lies at byte 32769); ``None``: :func:`record_for` detects it from *head*
    kind: str | None = None


class ReadFailed(Exception):
    """A read of :class:`FileReader` failed: the stage, what failed, bytes read before it."""

    def __init__(self, stage: int, error: str, nbytes: int = 0, head: bytes | None = None):
        super().__init__(error)
        self.stage, self.error, self.nbytes, self.head = stage, error, nbytes, head


class FileReader:
    """The one reading rule for a file's content (ADR 0102, "size-hinted reads"), used by every
    Python path and mirrored read for read by the native core (``lane_start``/``lane_advance``
    in ``_native.c``): a first read of the recorded size + 1 bytes (at most :data:`CHUNK`); when
    it comes back short of :data:`CHUNK`, an end-of-file probe of :data:`EOF_PROBE` bytes; then
    :data:`CHUNK`-sized reads to the end — so a file larger than its recorded size is still read
    in full, and errors carry the same stage and byte count whichever path read the file."""

    __slots__ = ("n", "size_hint", "stream")

    def __init__(self, stream: Readable, size_hint: int):
        self.stream = stream
        self.size_hint = size_hint
        self.n = 0  # bytes handed out so far

    def first(self) -> tuple[bytes, bool]:
        """The first chunk, and whether it is the whole file."""
        try:
            first = self.stream.read(first_read_size(self.size_hint))
        except READ_ERRORS as exc:
            raise ReadFailed(FIRST_READ_FAILED, _describe(exc)) from exc
        whole = not first
        if 0 < len(first) < CHUNK:
            try:
                rest = self.stream.read(EOF_PROBE)
            except READ_ERRORS as exc:
                raise ReadFailed(
                    PROBE_FAILED, _describe(exc), head=first[: filetype.HEAD_BYTES]
                ) from exc
            whole = not rest
            first += rest
        self.n = len(first)
        return first, whole

    def more(self) -> bytes:
        """The next chunk (``b""`` at end of file)."""
        try:
            chunk = self.stream.read(CHUNK)
        except READ_ERRORS as exc:
            raise ReadFailed(LATER_READ_FAILED, _describe(exc), self.n) from exc
        self.n += len(chunk)
        return chunk


def read_and_digest(opener: Callable[[], Readable], size_hint: int, keep_max: int = -1) -> Outcome:
    """Open, read and digest one file (MD5, SHA-1, SHA-256 in one pass) — the Python core; the
    native core does the same in C (:func:`from_native`). *keep_max* ≥ 0: keep the content of
    an image of at most that many bytes (perceptual hashing); -1: keep nothing beyond a file
    read whole in one read (which is at hand anyway)."""
    try:
        stream = opener()
    except READ_ERRORS as exc:
        return Outcome(OPEN_FAILED, _describe(exc))
    try:
        reader = FileReader(stream, size_hint)
        try:
            chunk, whole = reader.first()
        except ReadFailed as f:
            return Outcome(f.stage, f.error, 0, head=f.head)
        head = chunk[: filetype.HEAD_BYTES]
        kind = filetype.detect_first(chunk)
        if whole:
            return Outcome(OK, None, len(chunk), native.hexdigests(chunk), head, chunk, kind)
        keep: list[bytes] | None = (
            [] if keep_max >= 0 and size_hint <= keep_max and filetype.is_image(kind) else None
        )
        digests = native.digests()
        while chunk:
            digests.update(chunk)
            if keep is not None:
                keep.append(chunk)
            try:
                chunk = reader.more()
            except ReadFailed as f:
                return Outcome(f.stage, f.error, f.nbytes, head=head, kind=kind)
    finally:
        _close(stream)
    data = b"".join(keep) if keep is not None else None
    return Outcome(OK, None, reader.n, digests.hexdigests(), head, data, kind)


def from_native(res: native.Result, opener: Callable[[], Readable] | None = None) -> Outcome:
    """The native core's result tuple as an :class:`Outcome`. The core hands back only a head
    of :data:`.filetype.HEAD_BYTES`; for a file of no type found there, large enough to be an
    ISO 9660 image, five bytes at its identifier are read through *opener* (issue 16 item 7)."""
    stage, err, n, md5, sha1, sha256, head, data = res
    kind: str | None = None
    if (
        head is not None
        and opener is not None
        and n >= filetype.ISO9660_MIN
        and filetype.detect(head) is None
    ):
        kind = _probe_iso9660(opener)
    if stage == OK:
        return Outcome(OK, None, n, (md5, sha1, sha256), head, data, kind)  # type: ignore[arg-type]
    return Outcome(stage, os.strerror(err), n, head=head, kind=kind)


def _probe_iso9660(opener: Callable[[], Readable]) -> str | None:
    """ISO 9660 if the file holds ``CD001`` at :data:`.filetype.ISO9660_AT` (else None)."""
    try:
        stream = opener()
    except READ_ERRORS:
        return None
    try:
        return filetype.probe_iso9660(stream)
    finally:
        _close(stream)


def record_for(
    ef: EvidenceFile, out: Outcome, typer: Hasher | None = None
) -> tuple[dict[str, Any], int, str | None, bool | None]:
    """The record of one file from what reading it came to — the only place that decides
    codes and messages: UNREADABLE if it could not be opened; READ_ERROR if the first read or
    the end-of-file probe failed; READ_ERROR "(after N bytes)" if a later read failed.

    Returns the record, bytes digested, the detected type and whether a read failed (``None``
    when the file could not be opened or its first read failed: then it is not walked
    either). *typer* adds type and perceptual hash (:meth:`Hasher._typed`)."""
    rec = base_record(ef)
    if out.stage == OPEN_FAILED:
        _set_error(rec, "UNREADABLE", out.error)
        return rec, 0, None, None
    if out.stage == FIRST_READ_FAILED:
        _set_error(rec, "READ_ERROR", out.error)
        return rec, 0, None, None
    head = out.head or b""
    kind = out.kind if out.kind is not None else filetype.detect(head)
    if out.stage == PROBE_FAILED:
        _set_error(rec, "READ_ERROR", out.error)
        return rec, 0, kind, True
    if out.stage == LATER_READ_FAILED:
        _set_error(rec, "READ_ERROR", f"{out.error} (after {out.nbytes} bytes)")
        return rec, out.nbytes, kind, True
    rec["size"] = out.nbytes
    rec["md5"], rec["sha1"], rec["sha256"] = out.digests  # type: ignore[misc]
    if typer is not None:
        typer._typed(rec, head, out.data, kind)
    else:
        rec["type"] = kind
        rec["is_image"] = filetype.is_image(kind)
    return rec, out.nbytes, kind, False


def _set_error(rec: dict[str, Any], code: str | None, error: str | None) -> None:
    rec["error_code"] = code
    rec["error"] = None if error is None else f"{code}: {error}"


class Hasher:
    """Worker-thread body: turns tasks into records (hashes, type, PDQ)."""

    def __init__(
        self,
        work_q: queue.Queue[Any],
        result_q: queue.Queue[Any],
        budget: ByteBudget,
        pdq: PdqFunc | None,
        pdq_max_bytes: int = 64 << 20,
    ):
        self.work_q = work_q
        self.result_q = result_q
        self.budget = budget
        self.pdq = pdq
        self.pdq_max_bytes = pdq_max_bytes

    def run(self) -> None:
        while True:
            item = self.work_q.get()
            if item is None:
                self.result_q.put(None)
                return
            if isinstance(item, list):
                self._batch(item)
            else:
                self.result_q.put([self._large(item)])

    def _batch(self, tasks: list[Task]) -> None:
        out: list[Result] = []
        held = deferred = 0
        walks: list[WalkRequest] = []
        reply: queue.Queue[Any] | None = None
        for t in tasks:
            if t.deferred:
                res, walk = self._read_and_hash(t)
                deferred += 1
                reply = t.reply
                if walk is not None:
                    walks.append(walk)
            else:
                res = self._small(t)
                held += res.nbytes
            out.append(res)
        if held:
            self.budget.release(held)
        self.result_q.put(out)
        if reply is not None:
            reply.put(DeferredDone(deferred, walks))

    def _read_and_hash(self, task: Task) -> tuple[Result, WalkRequest | None]:
        """Open, read and hash a small file here (deferred by the reader; ADR 0102): the same
        :func:`read_and_digest` and :func:`record_for` as every other path."""
        ef = task.ef
        out = read_and_digest(ef.opener, ef.size, self._keep_max())  # type: ignore[arg-type]
        rec, n, kind, failed = record_for(ef, out, self)
        walk = None
        if filetype.is_container(kind) and failed is not None:
            walk = WalkRequest(ef, kind, failed)
        return Result(ef.key, task.parent, rec, n), walk

    def _keep_max(self) -> int:
        """Bytes of an image's content kept for PDQ (-1: none, PDQ is off)."""
        return self.pdq_max_bytes if self.pdq is not None else -1

    def _small(self, task: Task) -> Result:
        ef = task.ef
        if task.failed is not None:
            rec, n, _, _ = record_for(ef, task.failed, self)
            return Result(ef.key, task.parent, rec, n)
        data = task.data
        if data is None:  # the entry itself cannot be read
            rec = base_record(ef)
            _set_error(rec, task.error_code, task.error)
            return Result(ef.key, task.parent, rec, 0)
        out = Outcome(
            OK,
            None,
            len(data),
            native.hexdigests(data),
            data[: filetype.HEAD_BYTES],
            data,
            filetype.detect_first(data),
        )
        rec, n, _, _ = record_for(ef, out, self)
        return Result(ef.key, task.parent, rec, n)

    def _large(self, task: Task) -> Result:
        digests = native.digests()
        head = b""
        kind: str | None = None
        keep: list[bytes] | None = None
        n = 0
        failure: ReadFailed | None = None
        channel = task.channel
        assert channel is not None
        keep_max = self._keep_max()
        while True:
            chunk = channel.get()
            if chunk is _END:
                break
            if isinstance(chunk, ReadFailed):
                failure = chunk
                break
            if n == 0:
                head = chunk[: filetype.HEAD_BYTES]
                kind = filetype.detect_first(chunk)
                if keep_max >= 0 and task.ef.size <= keep_max and filetype.is_image(kind):
                    keep = []
            digests.update(chunk)
            if keep is not None:
                keep.append(chunk)
            n += len(chunk)
            self.budget.release(len(chunk))
        if failure is not None:
            out = Outcome(failure.stage, failure.error, n, head=head, kind=kind)
        else:
            data = b"".join(keep) if keep is not None else None
            out = Outcome(OK, None, n, digests.hexdigests(), head, data, kind)
        # the record after the content (record_for reads the entry's state then): a source may
        # settle an entry's state from what reading it found (an E01 file's chunk checksums,
        # sources/tsk.py _CheckedFile)
        rec, n, _, _ = record_for(task.ef, out, self)
        return Result(task.ef.key, task.parent, rec, n)

    def _typed(
        self, rec: dict[str, Any], head: bytes, data: bytes | None, kind: Any = _DETECT
    ) -> None:
        """Type (from *head*, or *kind* when the caller has detected it already) and PDQ."""
        if kind is _DETECT:
            kind = filetype.detect(head)
        rec["type"] = kind
        rec["is_image"] = filetype.is_image(kind)
        if (
            rec["is_image"]
            and self.pdq is not None
            and data is not None
            and len(data) <= self.pdq_max_bytes
        ):
            try:
                out = self.pdq(data)
            except Exception as exc:  # noqa: BLE001 - hostile image data; recorded, not fatal
                rec["warnings"].append(f"PDQ_FAILED: {_describe(exc)}")
                return
            if out is None:
                rec["warnings"].append("PDQ_FAILED: the image could not be decoded")
                return
            rec["pdq"], rec["pdq_quality"] = out[0], out[1]
            if len(out) > 2:
                rec[DIHEDRAL_KEY] = list(out[2])
