"""Crash-safe journal of completed entries, so a killed run resumes without re-hashing.

Append-only JSON lines, written and ``fsync``'d in batches (every :attr:`Journal.sync_every`
entries or :attr:`Journal.sync_seconds`, whichever comes first; issue 16 item 4: a line per
file cost a system call per file, an ``fsync`` per 2,000 files ~10 ms each on this VM's disk);
a torn last line (the process was killed mid-write) is cut off on load. Only what is in the
journal counts as done — an entry lost from an unwritten batch is simply hashed again (ACPO
principle 3 / repeatability, forensic-triage.md §5.1).

Each record's line is kept (:attr:`Journal.lines`): ``files.jsonl`` reuses it rather than
serialising the record a second time (:func:`comeforward_triage.report.files_jsonl`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

from .sources.base import record_key


def key_of(rec: dict[str, Any]) -> str:
    return record_key(rec["path"], rec.get("inode"), bool(rec.get("deleted")))


def _not_serialisable(obj: Any) -> Any:
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _sorted_encoder() -> Callable[[Any], str]:
    """``json.dumps(obj, ensure_ascii=False, sort_keys=True)`` — the same bytes — with json's C
    encoder made once: ``JSONEncoder.encode`` builds a new one on every call (with ~1.3 µs of a
    ~5 µs line; issue 16 item 4). Records hold no cycles, so the cycle check is left out.
    Without the C accelerator (or with a signature this code does not know), the stock encoder."""
    stock = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return stock
    try:
        enc = make(
            None, _not_serialisable, json.encoder.encode_basestring, None, ": ", ", ",
            True, False, True,
        )  # fmt: skip
    except TypeError:
        return stock
    join = "".join

    def encode(obj: Any) -> str:
        if type(obj) is not dict:
            return stock(obj)
        return join(enc(obj, 0))

    return encode


_ENCODE = _sorted_encoder()


def journal_line(obj: dict[str, Any]) -> str:
    """An entry's journal line (no newline): keys sorted, UTF-8 as is."""
    return _ENCODE(obj)


_dumps = journal_line


def _open_private_append(path: str):
    """Open ``path`` for appending, created mode 0600 whatever the umask (it lists every
    file's path and hashes: issue 11.8); an existing journal is narrowed to 0600 too."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


class Journal:
    def __init__(self, path: str, *, sync_every: int = 50_000, sync_seconds: float = 2.0):
        self.path = path
        self.sync_every = sync_every
        self.sync_seconds = sync_seconds
        self.records: dict[str, dict[str, Any]] = {}
        #: key -> the record's journal line (sorted keys, no newline)
        self.lines: dict[str, str] = {}
        self.containers: dict[str, dict[str, Any]] = {}
        self._pending: list[str] = []
        self._load()
        self._fh = _open_private_append(path)
        self._unsynced = 0
        self._last_sync = time.monotonic()

    def _load(self) -> None:
        if not os.path.exists(self.path):
            return
        with open(self.path, "rb") as fh:
            data = fh.read()
        end = data.rfind(b"\n") + 1
        if end != len(data):
            with open(self.path, "r+b") as fh:  # cut off the torn last line
                fh.truncate(end)
                fh.flush()
                os.fsync(fh.fileno())
        for line in data[:end].splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            if "container" in obj:
                self.containers[obj["container"]] = obj
            else:
                key = key_of(obj)
                self.records[key] = obj
                self.lines[key] = line.decode("utf-8")

    def add_record(self, rec: dict[str, Any], line: str | None = None) -> None:
        """Journal a record; *line*: its :func:`journal_line`, when already made (by a worker
        process)."""
        key = key_of(rec)
        if line is None:
            line = _dumps(rec)
        self.records[key] = rec
        self.lines[key] = line
        self._add(line)

    def add_lines(self, done: list[tuple[str, dict[str, Any], int, str]]) -> tuple[int, int]:
        """Journal records a worker process finished — ``(key, record, bytes, line)`` each, the
        key being the record's :func:`key_of` — as :meth:`add_record` does one by one; returns
        how many and their bytes."""
        records, lines, pending = self.records, self.lines, self._pending
        nbytes = 0
        for key, rec, n, line in done:
            records[key] = rec
            lines[key] = line
            pending.append(line)
            nbytes += n
        self._unsynced += len(done)
        self._maybe_sync()
        return len(done), nbytes

    def add_container(
        self, key: str, members: int, error: str | None, expanded: int = 0, stored: int = 0
    ) -> None:
        obj = {
            "container": key,
            "members": members,
            "error": error,
            "expanded": expanded,
            "stored": stored,
        }
        self.containers[key] = obj
        self._add(_dumps(obj))

    def _add(self, line: str) -> None:
        self._pending.append(line)
        self._unsynced += 1
        self._maybe_sync()

    def _maybe_sync(self) -> None:
        if (
            self._unsynced >= self.sync_every
            or time.monotonic() - self._last_sync >= self.sync_seconds
        ):
            self.sync()

    def sync(self) -> None:
        """Write the batch and ``fsync`` it."""
        if self._pending:
            self._pending.append("")
            self._fh.write("\n".join(self._pending))
            self._pending = []
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._unsynced = 0
        self._last_sync = time.monotonic()

    def close(self) -> None:
        self.sync()
        self._fh.close()
