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
import hashlib
import multiprocessing
import signal
import sys
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from . import filetype
from .hashing import (
    CHUNK,
    EOF_PROBE,
    READ_ERRORS,
    Hasher,
    PdqFunc,
    ResumeState,
    _close,
    _describe,
    base_record,
    first_read_size,
)
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
Done = tuple[str, dict[str, Any], int]
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


class _Work:
    """What one worker process does with a unit."""

    def __init__(self, resume: ResumeState, pdq: PdqFunc | None):
        self.resume = resume
        self.typer = Hasher(None, None, None, pdq)  # type: ignore[arg-type] # only _typed used

    def unit(self, unit: Unit) -> tuple[list[Done], list[Unit], list[Unit], list[Back]]:
        done: list[Done] = []
        files: list[Unit] = []
        dirs: list[Unit] = []
        back: list[Back] = []
        if unit[0] == "file":
            self._file(unit[1], unit_file(unit), done, back, whole=True, files=files)
            return done, files, dirs, back
        _, abs_dir, rel, names = unit
        if names is None:
            try:
                names = list_dir(abs_dir)
            except OSError as exc:
                self._file(abs_dir, unreadable_dir(rel, exc), done, back, whole=False, files=files)
                return done, files, dirs, back
            if len(names) > SPLIT_ENTRIES:
                for i in range(SPLIT_ENTRIES, len(names), SPLIT_ENTRIES):
                    dirs.append(("dir", abs_dir, rel, names[i : i + SPLIT_ENTRIES]))
                names = names[:SPLIT_ENTRIES]
        for abs_path, rel_path, ef in scan_dir(abs_dir, rel, names):
            if ef is None:
                dirs.append(("dir", abs_path, rel_path, None))
            else:
                self._file(abs_path, ef, done, back, whole=False, files=files)
        return done, files, dirs, back

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
            done.append((key, rec, 0))
            return
        if not whole and ef.size >= CHUNK:
            files.append(file_unit(abs_path, ef))
            return
        rec, n, kind, failed = self.hash_file(ef)
        done.append((key, rec, n))
        if filetype.is_container(kind) and failed is not None:
            back.append(("walk", file_unit(abs_path, ef), kind, failed))

    def hash_file(self, ef: EvidenceFile) -> tuple[dict[str, Any], int, str | None, bool | None]:
        """Record, bytes hashed, detected type, and whether a read failed (``None`` when the
        file could not be opened or its first read failed: then it is not walked either).

        Mirrors the reader (``Reader._process`` / ``_stream``) and ``Hasher._large`` /
        ``_small`` byte for byte: UNREADABLE if it cannot be opened; READ_ERROR if the first
        read or the end-of-file check fails; READ_ERROR "(after N bytes)" if a later read
        fails; a file that has grown past its recorded size is read to its end.
        """
        rec = base_record(ef)
        try:
            stream = ef.opener()  # type: ignore[misc]
        except READ_ERRORS as exc:
            self._error(rec, "UNREADABLE", _describe(exc))
            return rec, 0, None, None
        try:
            try:
                first = stream.read(first_read_size(ef.size))
            except READ_ERRORS as exc:
                self._error(rec, "READ_ERROR", _describe(exc))
                return rec, 0, None, None
            head = first[: filetype.HEAD_BYTES]
            kind = filetype.detect(head)
            chunk = first
            if len(first) < CHUNK:
                try:
                    rest = stream.read(EOF_PROBE) if first else b""
                except READ_ERRORS as exc:
                    self._error(rec, "READ_ERROR", _describe(exc))
                    return rec, 0, kind, True
                if not rest:  # the whole file in one read (the reader's small-file path)
                    n = len(first)
                    rec["size"] = n
                    rec["md5"] = hashlib.md5(first).hexdigest()  # noqa: S324 - evidence identity
                    rec["sha1"] = hashlib.sha1(first).hexdigest()  # noqa: S324
                    rec["sha256"] = hashlib.sha256(first).hexdigest()
                    self.typer._typed(rec, head, first, kind)
                    return rec, n, kind, False
                chunk = first + rest
            digests = (hashlib.md5(), hashlib.sha1(), hashlib.sha256())  # noqa: S324
            keep: list[bytes] | None = (
                []
                if self.typer.pdq is not None
                and filetype.is_image(kind)
                and ef.size <= self.typer.pdq_max_bytes
                else None
            )
            n = 0
            while chunk:
                for d in digests:
                    d.update(chunk)
                if keep is not None:
                    keep.append(chunk)
                n += len(chunk)
                try:
                    chunk = stream.read(CHUNK)
                except READ_ERRORS as exc:
                    self._error(rec, "READ_ERROR", f"{_describe(exc)} (after {n} bytes)")
                    return rec, n, kind, True
        finally:
            _close(stream)
        rec["size"] = n
        rec["md5"], rec["sha1"], rec["sha256"] = (d.hexdigest() for d in digests)
        self.typer._typed(rec, head, b"".join(keep) if keep is not None else None, kind)
        return rec, n, kind, False


def _worker_main(conn: Connection, others: Sequence[Connection], work: _Work) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    for other in others:  # hold no other pipe end: the main process dying must mean EOF here
        other.close()
    while True:
        try:
            unit = conn.recv()
        except (EOFError, OSError):
            return
        if unit is None:
            return
        try:
            reply: tuple[Any, ...] = ("ok", *work.unit(unit))
        except BaseException:  # noqa: BLE001 - a bug: reported to the main process (exit 1)
            reply = ("error", traceback.format_exc())
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class WorkerError(RuntimeError):
    """A worker process failed (a bug, or it was killed): the run stops with exit 1."""


class WorkerPool:
    """``jobs`` forked worker processes, one pipe each, up to :data:`DEPTH` units queued each."""

    def __init__(self, jobs: int, resume: ResumeState, pdq: PdqFunc | None):
        ctx = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):  # a child must not flush a copy of our buffers
            with contextlib.suppress(Exception):
                stream.flush()
        pipes = [ctx.Pipe() for _ in range(jobs)]
        work = _Work(resume, pdq)
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
