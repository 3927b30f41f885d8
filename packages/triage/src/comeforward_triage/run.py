"""``triage run``: walk → read → hash → exact match → journal → PDQ match → sealed reports.

Resumable (docs/interfaces.md §7): ``run.json`` fixes what the run is (source, sets, options,
``--pdq-radius``); ``journal.jsonl`` holds every completed entry (with its exact match and the
eight dihedral PDQ variants of an image); running the same command again skips what the
journal holds and writes the same ``files.jsonl`` and counts as an uninterrupted run.

Perceptual matching (:mod:`.pdqmatch`, forensic-triage.md §2.2, §3.1) is a final phase over
the run's copies of the journaled records; it never writes the journal, so repeating it after
a resume gives the same answer. Unmatched images are then exported as a VICS 2.0 case,
``new-material.vics.json`` (:mod:`.vicsexport`, research §1.7).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from . import __version__, filetype
from .containers import ArchiveLimits
from .errors import HashSetsUnavailable, InvalidArguments, ResumeMismatch, SourceNotFound
from .hashing import (
    ByteBudget,
    ContainerEnd,
    PdqFunc,
    ReaderDone,
    Result,
    ResumeState,
    WorkerBatch,
)
from .journal import Journal
from .match import LoadedSet, count, match_record
from .pdqconst import MATCH_RADIUS, PdqSummary
from .pipeline import ReaderPolicy, Workers, start_pipeline
from .report import (
    CASE_PART_FILES,
    Data,
    atomic_write,
    build_report,
    case_head,
    case_part_chunks,
    case_part_name,
    dfxml_chunks,
    files_jsonl_chunks,
    sha256_hex,
    sort_key,
)
from .signing import ReportSigner, sign_report
from .sources import open_source
from .sources.base import Source
from .vicsexport import FILENAME as NEW_MATERIAL
from .vicsexport import new_material
from .vpdq import match_videos

#: Set to a list by the console-script entry (:func:`.cli.entry`), which ends the process with
#: ``os._exit``: a finished run's records are kept here rather than freed one by one on
#: return (~2.4 s for a million files). ``None`` (in-process callers): nothing is kept.
RETAIN: list[object] | None = None


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RunOptions:
    source: str
    out: str
    hashsets: list[str] = field(default_factory=list)
    known_good: list[str] = field(default_factory=list)
    exhibit: str | None = None
    examiner: str | None = None
    jobs: int = 0  # 0 = one per CPU
    perceptual: bool = True
    pdq_radius: int = MATCH_RADIUS
    quiet: bool = False
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    buffer_bytes: int = 256 << 20
    command: list[str] | None = None
    #: "auto" (processes for directory trees, threads for images; ADR 0102), "threads" or
    #: "processes" — for tests and benchmarks, not a CLI option.
    workers: Workers = "auto"
    #: "auto" (one sequential reader when timed reads show a disk seeking), "sequential" or
    #: "parallel" — CLI ``--reader`` (ADR 0102, addenda 4 and 6). Not part of the fingerprint: the
    #: output does not depend on it.
    reader: ReaderPolicy = "auto"
    #: The key report.json is signed with (:mod:`.signing`); None: an unsigned report, which
    #: the application refuses to import. Not part of the fingerprint.
    signing_key: ReportSigner | None = None
    #: Files per CASE document (:data:`.report.CASE_PART_FILES`; tests make it small).
    case_part_files: int = CASE_PART_FILES


class Progress:
    """Receives progress events; the CLI plugs a rich display in (see :mod:`.progress`)."""

    def start(self, total_bytes: int | None) -> None: ...
    def set_total(self, total_bytes: int) -> None: ...
    def advance(self, files: int, nbytes: int) -> None: ...
    def stop(self) -> None: ...


def _pdq_with_variants(data: bytes) -> tuple[str, int, tuple[str, ...]] | None:
    """PDQ hash, quality and the eight exact dihedral variants (forensic-triage.md §2.1).

    :mod:`.perceptual` (numpy, Pillow) is imported here, at the first image — in the worker
    process that found it — not when the run starts (issue 16 item 1)."""
    from .perceptual import pdq_from_bytes

    result = pdq_from_bytes(data)
    return None if result is None else (result.hash, result.quality, result.dihedral)


def load_pdq() -> tuple[PdqFunc | None, dict[str, Any]]:
    """Check that PDQ hashing (Pillow + numpy, :mod:`.perceptual`) is installed — without
    importing it (~0.4-0.9 s of CPU): that waits for the first image."""
    import importlib.util

    for name in ("numpy", "PIL"):
        if importlib.util.find_spec(name) is None:
            reason = f"perceptual module unavailable: No module named {name!r}"
            return None, {"enabled": False, "reason": reason}
    return _pdq_with_variants, {
        "enabled": True,
        "function": "comeforward_triage.perceptual.pdq_from_bytes",
    }


def open_sets(paths: Sequence[str], known_good_only: bool) -> list[LoadedSet]:
    if not paths:
        return []
    try:
        from .hashsets import open_hashset  # type: ignore[attr-defined]
    except ImportError as exc:
        raise HashSetsUnavailable(
            "the hash-set reader (comeforward_triage.hashsets) is not available",
            details={"reason": str(exc)},
        ) from exc
    out = []
    for p in paths:
        if not os.path.isfile(p):
            raise SourceNotFound(f"no such hash set: {p}", details={"path": p})
        out.append(LoadedSet(open_hashset(p), known_good_only))
    return out


def _inside(child: str, parent: str) -> bool:
    child, parent = os.path.realpath(child), os.path.realpath(parent)
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


def _fingerprint(opts: RunOptions, sets: Sequence[LoadedSet], perceptual: bool) -> dict[str, Any]:
    return {
        "source": os.path.abspath(opts.source),
        "hashsets": [s.rs.sha256 for s in sets if not s.known_good_only],
        "known_good": [s.rs.sha256 for s in sets if s.known_good_only],
        "perceptual": perceptual,
        "pdq_radius": opts.pdq_radius,
        "limits": asdict(opts.limits),
    }


def triage_run(
    opts: RunOptions,
    progress: Progress | None = None,
    pdq_loader: Callable[[], tuple[PdqFunc | None, dict[str, Any]]] = load_pdq,
) -> dict[str, Any]:
    progress = progress or Progress()
    if not 0 <= opts.pdq_radius <= 256:
        raise InvalidArguments(
            "--pdq-radius must be from 0 to 256", details={"pdq_radius": opts.pdq_radius}
        )
    if not os.path.exists(opts.source):
        raise SourceNotFound(f"no such source: {opts.source}", details={"path": opts.source})
    if os.path.isdir(opts.source) and _inside(opts.out, opts.source):
        raise InvalidArguments(
            "--out must not be inside the evidence (it is read-only)",
            details={"out": opts.out, "source": opts.source},
        )
    sets = open_sets(opts.hashsets, False) + open_sets(opts.known_good, True)
    pdq, perceptual = (
        pdq_loader() if opts.perceptual else (None, {"enabled": False, "reason": "--no-perceptual"})
    )
    os.makedirs(opts.out, exist_ok=True)
    run_path = os.path.join(opts.out, "run.json")
    fp = _fingerprint(opts, sets, pdq is not None)
    if os.path.exists(run_path):
        with open(run_path, encoding="utf-8") as fh:
            run = json.load(fh)
        if run["fingerprint"] != fp:
            raise ResumeMismatch(
                "--out holds a run with a different source, hash sets or options; "
                "use a new --out directory",
                details={"previous": run["fingerprint"], "now": fp},
            )
        run["resumes"] = run.get("resumes", 0) + 1
    else:
        run = {
            "fingerprint": fp,
            "started_at": utc_now(),
            "exhibit": opts.exhibit,
            "examiner": opts.examiner,
            "command": opts.command,
            "resumes": 0,
            "limits": asdict(opts.limits),
        }
    atomic_write(run_path, json.dumps(run, indent=1, sort_keys=True).encode())

    source = open_source(opts.source)
    try:
        return _run(opts, run, source, sets, pdq, perceptual, progress)
    finally:
        source.close()


def _run(
    opts: RunOptions,
    run: dict[str, Any],
    source: Source,
    sets: list[LoadedSet],
    pdq: PdqFunc | None,
    perceptual: dict[str, Any],
    progress: Progress,
) -> dict[str, Any]:
    t0 = time.monotonic()
    journal = Journal(os.path.join(opts.out, "journal.jsonl"))
    resumed_files = len(journal.records)
    resume = ResumeState(
        done={k: r.get("type") for k, r in journal.records.items()},
        containers_done=set(journal.containers),
        archive_expanded=sum(c.get("expanded", 0) for c in journal.containers.values()),
        archive_stored=sum(c.get("stored", 0) for c in journal.containers.values()),
    )
    jobs = opts.jobs or os.cpu_count() or 1
    budget = ByteBudget(opts.buffer_bytes)
    spool_dir = tempfile.mkdtemp(prefix="spool-", dir=opts.out)
    # Worker processes (if any) are forked here, before the progress display or the prescan
    # start threads of their own.
    pipe = start_pipeline(
        source,
        jobs,
        budget,
        opts.limits,
        resume,
        spool_dir,
        pdq,
        workers=opts.workers,
        reader=opts.reader,
        sets=sets,
    )
    result_q = pipe.result_q
    progress.start(None)
    _start_prescan(opts.source, source.NAME, progress)
    book = _Containers(journal, resume)
    new_files = new_bytes = 0
    reader_error: BaseException | None = None
    workers_left = jobs
    reader_done = False
    try:
        while workers_left or not reader_done:
            item = result_q.get()
            if item is None:
                workers_left -= 1
            elif isinstance(item, ReaderDone):
                reader_done = True
                reader_error = item.error
                pipe.reader_done()
            elif isinstance(item, ContainerEnd):
                book.end(item)
            elif type(item) is WorkerBatch:
                n, nbytes = journal.add_lines(item.done)
                for key, rec, _, _ in item.done:
                    book.record(key, None, rec["type"])
                new_files += n
                new_bytes += nbytes
                progress.advance(n, nbytes)
            else:
                for res in item:
                    if res.line is None:  # else a worker process matched it already
                        match_record(res.record, sets)
                    journal.add_record(res.record, res.line)
                    book.result(res)
                    new_files += 1
                    new_bytes += res.nbytes
                    progress.advance(1, res.nbytes)
    except BaseException:
        pipe.close(failed=True)
        journal.close()
        raise
    finally:
        progress.stop()
    pipe.close(failed=reader_error is not None)
    for t in pipe.threads:  # they have all said they are done; let them end
        t.join(timeout=5)
    journal.close()
    if reader_error is not None:
        raise reader_error
    _rmtree_quiet(spool_dir)
    elapsed = time.monotonic() - t0
    # The records in report order, each with its journal line (files.jsonl reuses it: no
    # look-up by key per record, issue 16 item 5). Sorting on the key alone is stable.
    keyed = []
    for key, rec in journal.records.items():
        marker = journal.containers.get(key)
        rec = dict(rec)
        rec["container"] = (
            None if marker is None else {"members": marker["members"], "error": marker["error"]}
        )
        keyed.append((sort_key(rec), rec, journal.lines.get(key)))
    keyed.sort(key=itemgetter(0))
    records = [rec for _, rec, _ in keyed]
    lines = [line for _, _, line in keyed]
    del keyed
    # Perceptual matching: a final phase over the run's own copies of the records, never
    # journaled, so a resumed run repeats it from the same inputs (idempotent).
    pdq_summary = _pdq_phase(records, sets, opts.pdq_radius, pdq is not None)
    # Video (issue 16 item 8): vPDQ of every video, matched against the sets' vPDQ videos
    video_summary = match_videos(records, sets, source, enabled=pdq is not None, jobs=jobs)
    listing = files_jsonl_chunks(records, lines)
    files_sha256 = sha256_hex(listing)
    described = source.describe()
    source_issues = described.pop("issues", [])
    finished_at = utc_now()
    # The CASE parts need only the listing's digest and the run's identity: their writer starts
    # now, on the other core, while this process writes the rest (issue 16 item 5).
    case = _CaseWriter(
        opts.out,
        case_head(
            version=__version__,
            run=run,
            source=described,
            files_sha256=files_sha256,
            finished_at=finished_at,
        ),
        records,
        opts.case_part_files,
    )
    sealed: dict[str, str] = {"files.jsonl": files_sha256}
    try:
        _write(opts.out, "files.jsonl", listing, sealed, digest=False)
        export, media_count, media_files = new_material(
            records,
            files_sha256=files_sha256,
            exhibit=run.get("exhibit"),
            examiner=run.get("examiner"),
            version=__version__,
        )
        _write(opts.out, NEW_MATERIAL, export, sealed)
        counts = count(records)
        if described["kind"] == "directory":
            described["bytes"] = counts["totals"]["bytes"]
        stats = {
            # all archives of the exhibit together, against ArchiveLimits.max_exhibit_bytes and
            # the overall ratio (issue 11 item 8); members refused carry ARCHIVE_TOTAL_LIMIT /
            # ARCHIVE_RATIO_LIMIT and are counted in "issues"
            "archives": {
                "expanded_bytes": sum(c.get("expanded", 0) for c in journal.containers.values()),
                "stored_bytes": sum(c.get("stored", 0) for c in journal.containers.values()),
            },
            "jobs": jobs,
            "workers": pipe.mode,
            "reader": pipe.reader,
            "resumes": run.get("resumes", 0),
            "resumed_files": resumed_files,
            "files_hashed_this_session": new_files,
            "bytes_hashed_this_session": new_bytes,
            "seconds_this_session": round(elapsed, 3),
            "mib_per_second_this_session": round(new_bytes / (1 << 20) / elapsed, 1)
            if elapsed > 0
            else None,
        }
        report = build_report(
            version=__version__,
            run=run,
            source=described,
            counts=counts,
            hashsets=[s.describe() for s in sets],
            files_sha256=files_sha256,
            records=records,
            finished_at=finished_at,
            stats=stats,
            source_issues=source_issues,
            perceptual=perceptual,
            pdq={**pdq_summary, "video": video_summary.as_dict()},
            new_material={
                "path": NEW_MATERIAL,
                "count": media_count,
                "files": media_files,
                "sha256": sha256_hex(export),
                "format": "VICS 2.0 case (UK)",
            },
        )
        _write(opts.out, "report.dfxml", dfxml_chunks(report, records), sealed)
    except BaseException:
        case.abandon()
        raise
    case.finish(sealed)
    # run id, companion digests (those just written are not read back), report.json.sig
    sign_report(opts.out, opts.signing_key, report=report, digests=sealed)
    if RETAIN is not None:
        RETAIN.append((records, journal, book))
    return report


def _pdq_phase(
    records: list[dict[str, Any]], sets: Sequence[LoadedSet], radius: int, enabled: bool
) -> dict[str, Any]:
    """The PDQ summary; numpy and the matcher are imported only when a record carries a PDQ
    hash or reference sets are loaded (issue 16 item 1) — otherwise there is nothing to match,
    and the counts are those :func:`~.pdqmatch.match_pdq` gives for unhashed images."""
    if sets or any(rec.get("pdq") is not None for rec in records):
        from .pdqmatch import match_pdq

        return match_pdq(records, sets, radius=radius, enabled=enabled).as_dict()
    summary = PdqSummary(radius=radius, enabled=enabled)
    summary.not_hashed = sum(
        1
        for rec in records
        if rec.get("is_image") and rec.get("match") is None and not rec.get("known_good")
    )
    return summary.as_dict()


def _write(out: str, name: str, data: Data, sealed: dict[str, str], *, digest: bool = True) -> None:
    """Write a companion file and note its SHA-256 for the seal (no second read)."""
    atomic_write(os.path.join(out, name), data)
    if digest:
        sealed[name] = sha256_hex(data)


class _CaseWriter:
    """The CASE parts of a run (issue 16 item 5): written by a forked child process while the
    parent writes ``files.jsonl``, the new-material export, the counts and DFXML — the two
    cores share the work that follows the hashing. Where a child cannot be forked (or it
    fails), the parts are written here by :meth:`finish`: the same bytes either way."""

    def __init__(
        self, out: str, head: dict[str, Any], records: list[dict[str, Any]], part_files: int
    ):
        self.out = out
        self.head = head
        self.records = records
        self.part_files = part_files
        self.names = [case_part_name(i) for i in range(_case_parts(len(records), part_files))]
        for stale in _stale_case_parts(out, self.names):
            os.unlink(stale)
        self.child = (
            _fork_case_writer(out, head, records, part_files, self.names) if _can_fork() else None
        )

    def finish(self, sealed: dict[str, str]) -> None:
        """Wait for the child and note the parts' digests (or write the parts here)."""
        if self.child is not None:
            digests = _wait_case_writer(*self.child)
            self.child = None
            if digests is not None:
                sealed.update(digests)
                return
        parts = case_part_chunks(self.head, self.records, self.part_files)
        for name, data in zip(self.names, parts, strict=True):
            _write(self.out, name, data, sealed)

    def abandon(self) -> None:
        """The run failed after the child started: stop it and reap it."""
        if self.child is not None:
            pid, rfd = self.child
            self.child = None
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(rfd)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _case_parts(n: int, part_files: int) -> int:
    step = max(1, part_files)
    return max(1, -(-n // step))


def _stale_case_parts(out: str, names: list[str]) -> list[str]:
    """Parts left by an earlier, larger run of this folder (a resumed run writes them anew)."""
    keep = set(names)
    return [
        os.path.join(out, n)
        for n in os.listdir(out)
        if n.startswith("report.case.part") and n.endswith(".jsonld") and n not in keep
    ]


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _fork_case_writer(
    out: str,
    report: dict[str, Any],
    records: list[dict[str, Any]],
    part_files: int,
    names: list[str],
) -> tuple[int, int] | None:
    """Fork a child that writes the CASE parts and sends back their SHA-256 (one JSON line
    on a pipe). Only when this process runs no other thread (the hashing threads and worker
    processes have ended): a fork then copies no lock held by a thread."""
    try:
        rfd, wfd = os.pipe()
    except OSError:
        return None
    for stream in (sys.stdout, sys.stderr):  # a child must not flush a copy of our buffers
        stream.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return None
    if pid == 0:  # the child: write, report, leave without running the parent's cleanup
        status = 1
        try:
            os.close(rfd)
            parts = case_part_chunks(report, records, part_files)
            digests = {}
            for name, data in zip(names, parts, strict=True):
                atomic_write(os.path.join(out, name), data)
                digests[name] = sha256_hex(data)
            os.write(wfd, json.dumps(digests).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    return pid, rfd


def _wait_case_writer(pid: int, rfd: int) -> dict[str, str] | None:
    chunks = []
    with os.fdopen(rfd, "rb") as fh:
        chunks.append(fh.read())
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return json.loads(b"".join(chunks))  # type: ignore[no-any-return]
    except ValueError:
        return None


class _Containers:
    """Marks an archive complete only when all its members (recursively) are journaled."""

    def __init__(self, journal: Journal, resume: ResumeState):
        self.journal = journal
        self.types: dict[str, str | None] = dict(resume.done)
        self.pending: dict[str, set[str]] = {}
        self.ended: dict[str, ContainerEnd] = {}
        self.parent: dict[str, str | None] = {}

    def _settled(self, key: str) -> bool:
        if key not in self.types:
            return False
        return not filetype.is_container(self.types[key]) or key in self.journal.containers

    def end(self, ce: ContainerEnd) -> None:
        self.ended[ce.key] = ce
        self.parent[ce.key] = ce.parent
        self.pending[ce.key] = {m for m in ce.members if not self._settled(m)}
        for m in ce.members:
            self.parent.setdefault(m, ce.key)
        self._try_complete(ce.key)

    def result(self, res: Result) -> None:
        self.record(res.key, res.parent, res.record["type"])

    def record(self, key: str, parent: str | None, kind: str | None) -> None:
        """A record journaled: its type, and its archive (if it is a member)."""
        self.types[key] = kind
        self.parent.setdefault(key, parent)
        if self._settled(key):
            self._settle(key)
        else:
            self._try_complete(key)

    def _settle(self, key: str) -> None:
        parent = self.parent.get(key)
        if parent is not None and parent in self.pending:
            self.pending[parent].discard(key)
            self._try_complete(parent)

    def _try_complete(self, key: str) -> None:
        ce = self.ended.get(key)
        if (
            ce is None
            or self.pending.get(key)
            or key not in self.types
            or key in self.journal.containers
        ):
            return
        error = None if ce.error_code is None else f"{ce.error_code}: {ce.error}"
        self.journal.add_container(key, len(ce.members), error, ce.expanded, ce.stored)
        self._settle(key)


def _start_prescan(path: str, kind: str, progress: Progress) -> None:
    """Total bytes for the ETA, from a second, independent walk (metadata only)."""

    def scan() -> None:
        try:
            src = open_source(path, kind)
            if hasattr(src, "verify_on_walk"):
                src.verify_on_walk = False  # metadata only: the run's own walk checks the image
            try:
                total = sum(ef.size for ef in src.walk() if ef.opener is not None)
            finally:
                src.close()
            progress.set_total(total)
        except Exception:  # noqa: BLE001 - ETA is a nicety; the run does not depend on it
            return

    if type(progress) is not Progress:
        threading.Thread(target=scan, name="triage-prescan", daemon=True).start()


def _rmtree_quiet(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def eprint(*args: Any) -> None:
    print(*args, file=sys.stderr)  # noqa: T201
