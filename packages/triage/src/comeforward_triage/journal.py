"""Crash-safe journal of completed entries, so a killed run resumes without re-hashing.

Append-only JSON lines, flushed and ``fsync``'d in batches; a torn last line (the process was
killed mid-write) is cut off on load. Only what is in the journal counts as done — an entry
lost from an unflushed buffer is simply hashed again (ACPO principle 3 / repeatability,
forensic-triage.md §5.1).
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from .sources.base import record_key


def key_of(rec: dict[str, Any]) -> str:
    return record_key(rec["path"], rec.get("inode"), bool(rec.get("deleted")))


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
    def __init__(self, path: str, *, sync_every: int = 2000, sync_seconds: float = 2.0):
        self.path = path
        self.sync_every = sync_every
        self.sync_seconds = sync_seconds
        self.records: dict[str, dict[str, Any]] = {}
        self.containers: dict[str, dict[str, Any]] = {}
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
                self.records[key_of(obj)] = obj

    def add_record(self, rec: dict[str, Any]) -> None:
        self.records[key_of(rec)] = rec
        self._write(rec)

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
        self._write(obj)

    def _write(self, obj: dict[str, Any]) -> None:
        self._fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
        self._unsynced += 1
        if (
            self._unsynced >= self.sync_every
            or time.monotonic() - self._last_sync >= self.sync_seconds
        ):
            self.sync()

    def sync(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._unsynced = 0
        self._last_sync = time.monotonic()

    def close(self) -> None:
        self.sync()
        self._fh.close()
