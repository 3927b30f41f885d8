"""Assembles the hashing pipeline of a run: reader thread, hashing threads, worker processes.

Threads or processes is chosen per source (ADR 0102, "worker processes"):

* **processes** for a directory tree (``Source.PARALLEL_SMALL_READS``) when ``jobs`` ≥ 2 and
  the platform can ``fork``: ``jobs`` worker processes walk, read and hash the tree
  (:mod:`.procpool`), because per-file Python work (~20 µs a file) under one GIL otherwise
  keeps a tree of small files well short of "single-core hashlib × cores"
  (forensic-triage.md §4) — provided the calling process runs no other thread (forking a
  multi-threaded process, e.g. a task worker with threads of its own, can leave a lock held
  forever in the child);
* **threads** otherwise — disk images (raw, E01: one sequential reader through one
  non-thread-safe handle, §4 "I/O"), ``--jobs 1``, or no ``fork``.

Archive members are always hashed by the hashing threads, whose reader walks the archives.

**One sequential reader on a spinning disk** (forensic-triage.md §4 "I/O": parallel readers
collapse there; ADR 0102, addendum 4): a directory tree is read in parallel — by the worker
processes, or by the hashing threads for small files — only where that costs nothing extra.
``reader="auto"`` decides from what the evidence does (ADR 0102, addendum 6): a disk the kernel
calls non-rotational is read in parallel; otherwise (rotational, or unknown) a short probe
times reads of a few files out of walk order (:meth:`Source.read_latency`): at
:data:`SEEK_SECONDS` or more a file — a head seeking — the tree is read by the one reader
thread, in walk order (the threaded pipeline); faster, in parallel (a virtual disk that calls
itself rotational, an SSD behind a USB bridge, the page cache). ``"sequential"`` and
``"parallel"`` force either. The report says which, and why.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .containers import ArchiveLimits
from .hashing import ByteBudget, Hasher, PdqFunc, Reader, ResumeState
from .match import LoadedSet
from .procpool import WorkerPool, processes_available
from .sources.base import Source

Workers = Literal["auto", "threads", "processes"]
#: A probe read this slow (per file) means a head seeking: read the tree sequentially. A
#: spinning disk takes ~4-15 ms to seek and read; an SSD ~0.1 ms, the page cache ~0.02 ms.
SEEK_SECONDS = 0.002
ReaderPolicy = Literal["auto", "sequential", "parallel"]


def reading(source: Source, reader: ReaderPolicy = "auto") -> tuple[bool, str]:
    """Whether *source* may be read in parallel, and the reason (for the report)."""
    if not source.PARALLEL_SMALL_READS:
        return False, f"sequential: one reader for a {source.NAME} image"
    if reader == "sequential":
        return False, "sequential: asked for"
    if reader == "parallel":
        return True, "parallel: asked for"
    spinning, why = source.rotational()
    if spinning is False:
        return True, f"parallel: not a rotational disk ({why})"
    latency, how = source.read_latency()
    if latency is None:
        if spinning:
            return False, f"sequential: rotational disk ({why}; reads not measured: {how})"
        return True, f"parallel: disk type unknown ({why}; reads not measured: {how})"
    ms = f"{latency * 1000:.2f} ms a file ({how})"
    if latency >= SEEK_SECONDS:
        return False, f"sequential: reads take {ms}, a disk seeking; {why}"
    return True, f"parallel: reads take {ms}, no seeking; {why}"


def choose_workers(source: Source, jobs: int, workers: Workers = "auto") -> str:
    """``"processes"`` or ``"threads"`` for *source* (see the module docstring)."""
    if workers != "auto":
        if workers == "processes" and not (source.PARALLEL_SMALL_READS and processes_available()):
            return "threads"  # only directory trees can be shared out
        return workers
    if (
        source.PARALLEL_SMALL_READS
        and jobs >= 2
        and processes_available()
        and threading.active_count() == 1
    ):
        return "processes"
    return "threads"


@dataclass
class Pipeline:
    """A started pipeline; the caller reads ``result_q`` (lists of Result, ContainerEnd,
    ReaderDone, and one ``None`` per hashing thread after :meth:`reader_done`)."""

    jobs: int
    mode: str
    reader: str
    result_q: queue.Queue[Any]
    work_q: queue.Queue[Any]
    stop: threading.Event
    pool: WorkerPool | None
    threads: list[threading.Thread] = field(default_factory=list)

    def reader_done(self) -> None:
        for _ in range(self.jobs):
            self.work_q.put(None)

    def close(self, *, failed: bool = False) -> None:
        if failed:
            self.stop.set()
        if self.pool is not None:
            self.pool.close(kill=failed)
            self.pool = None


def start_pipeline(
    source: Source,
    jobs: int,
    budget: ByteBudget,
    limits: ArchiveLimits,
    resume: ResumeState,
    spool_dir: str | None,
    pdq: PdqFunc | None,
    workers: Workers = "auto",
    reader: ReaderPolicy = "auto",
    sets: Sequence[LoadedSet] = (),
) -> Pipeline:
    """Fork the workers (if any) first — before any thread of the run exists — then start the
    reader and hashing threads."""
    parallel, why = reading(source, reader)
    mode = choose_workers(source, jobs, workers) if parallel else "threads"
    pool = WorkerPool(jobs, resume, pdq, sets) if mode == "processes" else None
    work_q: queue.Queue[Any] = queue.Queue(maxsize=jobs * 4)
    result_q: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()
    try:
        reader = Reader(
            source.walk(),
            work_q,
            result_q,
            budget,
            limits,
            resume,
            spool_dir,
            stop,
            defer_small=parallel,
            pool=pool,
            root=os.fsencode(source.path),
        )
        threads = [threading.Thread(target=reader.run, name="triage-reader", daemon=True)]
        threads += [
            threading.Thread(
                target=Hasher(work_q, result_q, budget, pdq).run,
                name=f"triage-hash-{i}",
                daemon=True,
            )
            for i in range(jobs)
        ]
        for t in threads:
            t.start()
    except BaseException:
        if pool is not None:
            pool.close(kill=True)
        raise
    return Pipeline(jobs, mode, why, result_q, work_q, stop, pool, threads)
