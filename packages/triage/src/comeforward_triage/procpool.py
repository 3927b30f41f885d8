"""Worker processes for directory sources (ADR 0102, "worker processes").

A threaded Python pipeline spends ~20 µs of GIL-held time per file on walking (scandir, lstat,
one :class:`EvidenceFile`) and on open/read/close, which on a tree of small files keeps it well
short of "single-core hashlib × cores" (forensic-triage.md §4). Here each worker process walks
and hashes whole units of the tree by itself, with its own GIL:

* a *directory unit* ``("dir", abs_dir, rel, names)``: the worker scans the directory
  (:func:`~.sources.directory.scan_dir`), hashes its small regular files (open, read, MD5 +
  SHA-1 + SHA-256, type detection, PDQ) and returns their records; sub-directories, files of
  :data:`~.hashing.CHUNK` bytes or more and the rest of a directory of more than
  :data:`SPLIT_ENTRIES` entries come back as new units, so that both cores share big files and
  big directories;
* a *file unit* ``("file", abs_path, rel, size, inode, mtime, warnings)``: one large file.

Everything that is not plain file content stays with the main process, as in the threaded
pipeline: archives a worker finds (and archives a resumed run still has to walk) are handed
back and walked by the reader thread; archive members are hashed by the hashing threads; disk
images never use workers (one non-thread-safe handle, one sequential reader). Records are built
by the same code (:func:`~.hashing.base_record`, :meth:`~.hashing.Hasher._typed`) with the same
error codes and messages, so ``files.jsonl`` is byte-identical to the threaded path.

Workers are forked *before* any thread of the run starts, inherit the resume state and PDQ
function, and exit when the main process closes — or dies: each worker holds only its own end
of its pipe, so a SIGKILLed run leaves no orphans (they see end-of-file and exit).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from . import filetype, native
from .hashing import (
    CHUNK,
    Hasher,
    PdqFunc,
    ResumeState,
    base_record,
    from_native,
    read_and_digest,
    record_for,
)
from .journal import journal_line
from .match import LoadedSet, match_record
from .sources.base import EvidenceFile
from .sources.directory import list_dir, regular_file, scan_dir, unreadable_dir

#: A directory with more entries than this is shared out in parts of this many names. A unit of
#: names (≤ 128 × 255 bytes) stays far inside a socket buffer (~208 KiB), so the units queued
#: for a worker never block the sender while that worker is sending its reply.
SPLIT_ENTRIES = 128
#: Units in flight per worker: the next ones wait in the pipe while a worker hashes, so that a
#: worker does not idle while the main process is busy or descheduled.
DEPTH = 3

Unit = tuple[Any, ...]
#: ``(key, record, bytes hashed)``
#: ``(key, record, bytes hashed, journal line)``: the worker has matched the record against the
#: reference sets and serialised its journal line (issue 16 item 4: per-file work off the main
#: process, which otherwise spent ~35 µs a file on it while the workers waited for it)
Done = tuple[str, dict[str, Any], int, str]
#: ``("walk", unit, kind, read_failed)``: an archive to walk; ``("process", unit)``: a file a
#: previous run hashed whose archive members are still to be walked. *unit* is a file unit.
Back = tuple[Any, ...]


def processes_available() -> bool:
    """Worker processes need ``fork`` (they inherit the run's state without pickling)."""
    return "fork" in multiprocessing.get_all_start_methods()


def file_unit(abs_path: bytes, ef: EvidenceFile) -> Unit:
    return ("file", abs_path, ef.path, ef.size, ef.inode, ef.mtime, ef.warnings)


def unit_file(unit: Unit) -> EvidenceFile:
    """Rebuild (in the main process) the entry of a file unit, opener included."""
    _, abs_path, rel, size, inode, mtime, warnings = unit
    return regular_file(abs_path, rel, size, inode, mtime, warnings)


Reply = tuple[list[Done], list[Unit], list[Unit], list[Back]]


class _Job:
    """A unit begun by a worker: its entries, and those the native engine is hashing
    (``picks``: entry indexes; ``names``/``sizes`` as the engine opens them, relative to
    ``dir`` or absolute when ``dir`` is ``None``)."""

    __slots__ = ("dir", "dirs", "entries", "names", "picks", "sizes", "whole")

    def __init__(self) -> None:
        self.dir: bytes | None = None
        self.entries: list[tuple[bytes, str, EvidenceFile | None]] = []
        self.whole = False
        self.dirs: list[Unit] = []
        self.picks: list[int] = []
        self.names: list[bytes] = []
        self.sizes: list[int] = []


class _Work:
    """What one worker process does with a unit."""

    def __init__(self, resume: ResumeState, pdq: PdqFunc | None, sets: Sequence[LoadedSet] = ()):
        self.resume = resume
        self.sets = sets  # memory-mapped reference sets, inherited by the fork
        self.typer = Hasher(None, None, None, pdq)  # type: ignore[arg-type] # only _typed used

    def unit(self, unit: Unit) -> Reply:
        """Do one unit start to finish (the path without the native engine)."""
        return self.complete(self.begin(unit, native_ok=False), {})

    def begin(self, unit: Unit, *, native_ok: bool | None = None) -> _Job:
        """Walk a unit: its entries, and (*native_ok*, default: the core is built) which of
        them the engine is to hash."""
        if native_ok is None:
            native_ok = native.AVAILABLE
        job = _Job()
        if unit[0] == "file":
            ef = unit_file(unit)
            job.entries = [(unit[1], ef.path, ef)]
            job.whole = True
            job.dir = None
            if native_ok and ef.opener is not None and ef.key not in self.resume.done:
                job.picks = [0]
                job.names = [unit[1]]
                job.sizes = [ef.size]
            return job
        _, abs_dir, rel, names = unit
        job.dir = abs_dir
        if names is None:
            try:
                names = list_dir(abs_dir)
            except OSError as exc:
                job.entries = [(abs_dir, rel, unreadable_dir(rel, exc))]
                return job
            if len(names) > SPLIT_ENTRIES:
                for i in range(SPLIT_ENTRIES, len(names), SPLIT_ENTRIES):
                    job.dirs.append(("dir", abs_dir, rel, names[i : i + SPLIT_ENTRIES]))
                names = names[:SPLIT_ENTRIES]
        job.entries = list(scan_dir(abs_dir, rel, names))
        if native_ok:
            resumed = self.resume.done
            for i, (_, _, ef) in enumerate(job.entries):  # one entry per name, in order
                if (
                    ef is not None
                    and ef.opener is not None
                    and ef.size < CHUNK
                    and not (resumed and ef.key in resumed)
                ):
                    job.picks.append(i)
                    job.names.append(names[i])
                    job.sizes.append(ef.size)
        return job

    def complete(self, job: _Job, hashed: dict[int, native.Result]) -> Reply:
        """The unit's reply, in entry order; *hashed*: entry index → native result (the other
        entries go through :meth:`_file`, as without the engine)."""
        done: list[Done] = []
        files: list[Unit] = []
        back: list[Back] = []
        for i, (abs_path, rel_path, ef) in enumerate(job.entries):
            if ef is None:
                job.dirs.append(("dir", abs_path, rel_path, None))
            elif i in hashed:
                rec, n, kind, failed = self._from_native(ef, hashed[i])
                done.append(self._done(ef.key, rec, n))
                if filetype.is_container(kind) and failed is not None:
                    back.append(("walk", file_unit(abs_path, ef), kind, failed))
            else:
                self._file(abs_path, ef, done, back, whole=job.whole, files=files)
        return done, files, job.dirs, back

    def _done(self, key: str, rec: dict[str, Any], n: int) -> Done:
        """Exact matching and the journal line, here in the worker (the same calls the main
        process makes for the threaded pipeline's records)."""
        match_record(rec, self.sets)
        return key, rec, n, journal_line(rec)

    def _keep_max(self) -> int:
        """Bytes of content the native core keeps for PDQ (-1: none, PDQ is off)."""
        return self.typer._keep_max()

    def engine(self) -> Any:
        """The worker's native engine (two lanes, fed unit by unit), or ``None``."""
        if not native.AVAILABLE:
            return None
        return native.core().Engine(self._keep_max(), filetype.HEAD_BYTES)

    def _from_native(
        self, ef: EvidenceFile, res: native.Result
    ) -> tuple[dict[str, Any], int, str | None, bool | None]:
        """A native result as :meth:`hash_file` returns it — through the same
        :func:`~.hashing.record_for` (and the ISO 9660 probe of :func:`~.hashing.from_native`)."""
        return record_for(ef, from_native(res, ef.opener), self.typer)

    @staticmethod
    def _error(rec: dict[str, Any], code: str | None, error: str | None) -> None:
        rec["error_code"] = code
        rec["error"] = None if error is None else f"{code}: {error}"

    def _file(
        self,
        abs_path: bytes,
        ef: EvidenceFile,
        done: list[Done],
        back: list[Back],
        *,
        whole: bool,
        files: list[Unit],
    ) -> None:
        key = ef.key
        if key in self.resume.done:  # same decisions as Reader._process
            kind = self.resume.done[key]
            if filetype.is_container(kind) and key not in self.resume.containers_done:
                back.append(("process", file_unit(abs_path, ef)))
            return
        if ef.opener is None:
            rec = base_record(ef)
            self._error(rec, ef.error_code, ef.error)
            done.append(self._done(key, rec, 0))
            return
        if not whole and ef.size >= CHUNK:
            files.append(file_unit(abs_path, ef))
            return
        rec, n, kind, failed = self.hash_file(ef)
        done.append(self._done(key, rec, n))
        if filetype.is_container(kind) and failed is not None:
            back.append(("walk", file_unit(abs_path, ef), kind, failed))

    def hash_file(self, ef: EvidenceFile) -> tuple[dict[str, Any], int, str | None, bool | None]:
        """Record, bytes hashed, detected type, and whether a read failed — the one
        :func:`~.hashing.read_and_digest` and :func:`~.hashing.record_for` of every path."""
        out = read_and_digest(ef.opener, ef.size, self._keep_max())  # type: ignore[arg-type]
        return record_for(ef, out, self.typer)


def _worker_main(conn: Connection, others: Sequence[Connection], work: _Work) -> None:
    """Take units, send one reply per unit.

    With the native engine a unit's files are queued on the engine and its reply is sent when
    they are all hashed — perhaps after later units' replies: while a large file is being
    hashed on one lane, the next units' small files run on the other, paired (ADR 0102,
    addendum 3). The engine is finished alone, :data:`ALONE_BYTES` at a time, only when no
    unit is waiting in the pipe.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    for other in others:  # hold no other pipe end: the main process dying must mean EOF here
        other.close()
    try:
        engine = work.engine()
    except BaseException:  # noqa: BLE001 - reported on the first unit
        engine, failure = None, traceback.format_exc()
    else:
        failure = None
    while True:
        try:
            if engine is not None and engine.pending() and not conn.poll():
                replies = _finished(work, engine.run(True, ALONE_BYTES))
            else:
                unit = conn.recv()
                if unit is None:
                    return
                if failure is not None:
                    raise WorkerError(failure)
                replies = _start(work, engine, unit)
        except (EOFError, OSError):
            return
        except BaseException:  # noqa: BLE001 - a bug: reported to the main process (exit 1)
            replies = [("error", traceback.format_exc())]
        try:
            for reply in replies:
                conn.send(reply)
        except (BrokenPipeError, OSError):
            return


#: Bytes one lane hashes alone before the worker looks for a new unit to pair with it.
ALONE_BYTES = 8 << 20


def _start(work: _Work, engine: Any, unit: Unit) -> list[tuple[Any, ...]]:
    job = work.begin(unit, native_ok=engine is not None)
    if not job.picks:
        return [("ok", *work.complete(job, {}))]
    try:
        engine.add(job.dir, job.names, job.sizes, job)
    except OSError:  # the directory cannot be opened as a whole: file by file in _file
        return [("ok", *work.complete(job, {}))]
    return _finished(work, engine.run(False, 0))


def _finished(
    work: _Work, batches: list[tuple[_Job, list[native.Result]]]
) -> list[tuple[Any, ...]]:
    return [
        ("ok", *work.complete(job, dict(zip(job.picks, results, strict=True))))
        for job, results in batches
    ]


class WorkerError(RuntimeError):
    """A worker process failed (a bug, or it was killed): the run stops with exit 1."""


class WorkerPool:
    """``jobs`` forked worker processes, one pipe each, up to :data:`DEPTH` units queued each."""

    def __init__(
        self,
        jobs: int,
        resume: ResumeState,
        pdq: PdqFunc | None,
        sets: Sequence[LoadedSet] = (),
    ):
        ctx = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):  # a child must not flush a copy of our buffers
            with contextlib.suppress(Exception):
                stream.flush()
        pipes = [ctx.Pipe() for _ in range(jobs)]
        work = _Work(resume, pdq, sets)
        self.procs = []
        for i, (_, child) in enumerate(pipes):
            others = [end for pair in pipes for end in pair if end is not child]
            proc = ctx.Process(
                target=_worker_main,
                args=(child, others, work),
                name=f"triage-worker-{i}",
                daemon=True,
            )
            proc.start()
            self.procs.append(proc)
        for _, child in pipes:
            child.close()
        self.conns: list[Connection] = [parent for parent, _ in pipes]
        self.inflight: dict[Connection, int] = dict.fromkeys(self.conns, 0)
        self.pending = 0  # units sent whose reply has not come back

    def can_take(self) -> bool:
        """True while some worker has fewer than :data:`DEPTH` units in flight."""
        return self.pending < DEPTH * len(self.conns)

    def submit(self, unit: Unit) -> None:
        conn = min(self.conns, key=self.inflight.__getitem__)
        conn.send(unit)
        self.inflight[conn] += 1
        self.pending += 1

    def replies(
        self, timeout: float
    ) -> list[tuple[list[Done], list[Unit], list[Unit], list[Back]]]:
        out = []
        for conn in wait([c for c in self.conns if self.inflight[c]], timeout):
            assert isinstance(conn, Connection)
            try:
                reply = conn.recv()
            except (EOFError, OSError) as exc:
                raise WorkerError("a triage worker process ended unexpectedly") from exc
            self.inflight[conn] -= 1
            self.pending -= 1
            if reply[0] == "error":
                raise WorkerError(f"a triage worker process failed:\n{reply[1]}")
            out.append(reply[1:])
        return out

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers (at once with *kill*: the run failed or was interrupted)."""
        if kill:
            for proc in self.procs:
                proc.kill()
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.send(None)
            conn.close()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
