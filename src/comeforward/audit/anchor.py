"""The head of the audit chain, anchored outside the database (issue 11.3, ADR 0008).

The hash chain (``audit.chain``) proves that the records it has are the records that were
written, in order — but not that none are missing *after* the last one: deleting the newest
record, the newest three or every record leaves a chain that verifies. So after every append
commits, a **checkpoint** — the number of records and the hash of the last one, with the
time — is appended as one line to a file outside the database, each line authenticated with
HMAC-SHA256 under a key the database does not hold (``AUDIT_ANCHOR_KEY``, or one derived from
``AUDIT_HMAC_KEY``). The file is opened ``O_APPEND`` and created mode 0600; on a production
host it should also be made append-only for everyone (``chattr +a``) or shipped to a log
host (docs/adr/0008-audit-anchor.md).

``audit verify`` then checks every checkpoint against the database: a record at ``count``
with exactly that hash must exist. A database with fewer records than the highest checkpoint
was truncated; a different hash at a checkpoint means history was rewritten.

Pure Python (no Django): the file format, signing and comparison live here; when to write
and where the file is are decided in ``services`` and ``selectors``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comeforward.errors import DomainError

VERSION = 1
_KEY_LABEL = b"comeforward audit anchor v1"


class AnchorInvalid(DomainError):
    """A line of the anchor file is not a checkpoint signed with our key."""

    code = "AUDIT_ANCHOR_INVALID"


def derive_key(audit_hmac_key: bytes) -> bytes:
    """The anchor key when none is configured of its own: a separate key from the chain's."""
    return hmac.new(audit_hmac_key, _KEY_LABEL, hashlib.sha256).digest()


@dataclass(frozen=True, order=True)
class Checkpoint:
    count: int  # records in the chain; the last one has seq == count
    head: str  # that record's hash
    at: str  # when the checkpoint was written (UTC)
    line: int = 0  # 1-based line number in the file (0: not read from a file)


def _payload(count: int, head: str, at: str) -> bytes:
    body = {"v": VERSION, "count": count, "head": head, "at": at}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_line(key: bytes, *, count: int, head: str, at: str | None = None) -> str:
    """One signed checkpoint as a JSON line (with its newline)."""
    at = at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    mac = hmac.new(key, _payload(count, head, at), hashlib.sha256).hexdigest()
    line = {"v": VERSION, "count": count, "head": head, "at": at, "mac": mac}
    return json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n"


def append(path: Path, key: bytes, *, count: int, head: str, fsync: bool = True) -> None:
    """Append one checkpoint. ``O_APPEND`` makes each line one atomic write at the end of the
    file, whichever process writes it; the file is created (and kept) mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = checkpoint_line(key, count=count, head=head).encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
        os.write(fd, data)
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)


def parse(key: bytes, lines: Iterable[str], *, first_line: int = 1) -> Iterator[Checkpoint]:
    """Checkpoints from lines of the file; ``AnchorInvalid`` names the first bad line.

    A torn last line (a crash mid-write leaves no newline) is skipped, not an error."""
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        if not raw.endswith("\n"):
            return  # an unfinished write at the very end
        try:
            data = json.loads(raw)
            count, head, at, mac = (
                int(data["count"]),
                str(data["head"]),
                str(data["at"]),
                data["mac"],
            )
            if data.get("v") != VERSION or count < 0:
                raise ValueError("unknown version")
        except (ValueError, KeyError, TypeError) as error:
            raise AnchorInvalid(
                f"Audit anchor line {number} is not a checkpoint",
                details={"line": number, "reason": str(error)[:200]},
            ) from None
        expected = hmac.new(key, _payload(count, head, at), hashlib.sha256).hexdigest()
        if not isinstance(mac, str) or not hmac.compare_digest(expected, mac):
            raise AnchorInvalid(
                f"Audit anchor line {number} is not signed with the anchor key",
                details={"line": number, "reason": "signature does not match"},
            )
        yield Checkpoint(count=count, head=head, at=at, line=number)


def read(path: Path, key: bytes) -> list[Checkpoint] | None:
    """Every checkpoint in the file, or ``None`` when there is no file."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(parse(key, handle))
    except FileNotFoundError:
        return None


def read_tail(path: Path, key: bytes, *, max_bytes: int = 65536) -> list[Checkpoint] | None:
    """The checkpoints in the last ``max_bytes`` of the file (cheap, for readiness checks)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - max_bytes)
            handle.seek(start)
            data = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = data.splitlines(keepends=True)
    if start and lines:
        lines = lines[1:]  # the first line is probably cut
    return list(parse(key, lines, first_line=0))


@dataclass(frozen=True)
class Comparison:
    """The database chain against the anchor file."""

    code: str | None  # None when they agree; otherwise a stable error code
    message: str
    records: int  # records in the database
    anchored: int  # highest count any checkpoint vouches for (0 if none)
    checkpoints: int  # checkpoints compared

    @property
    def ok(self) -> bool:
        return self.code is None

    @property
    def unanchored(self) -> int:
        """Records newer than the highest checkpoint (a crash after commit, or in flight)."""
        return max(0, self.records - self.anchored)

    def as_details(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "anchored": self.anchored,
            "unanchored": self.unanchored,
            "checkpoints": self.checkpoints,
        }


TRUNCATED = "AUDIT_TRUNCATED"
MISMATCH = "AUDIT_ANCHOR_MISMATCH"
MISSING = "AUDIT_ANCHOR_MISSING"


class Matcher:
    """Compare checkpoints with the database chain in one streaming pass.

    Feed it every record's ``(seq, hash)`` in ``seq`` order (``watch`` does so while the
    chain is verified), then ask for the ``result``:

    - no file while the database has records → ``AUDIT_ANCHOR_MISSING`` (fail closed);
    - a checkpoint beyond the last record → ``AUDIT_TRUNCATED`` (records were removed);
    - a checkpoint whose record has another hash → ``AUDIT_ANCHOR_MISMATCH`` (rewritten);
    - the database *ahead* of every checkpoint is not an error: the anchor is written after
      the database commits, so a crash in between leaves it behind (``unanchored``).
    """

    def __init__(self, checkpoints: list[Checkpoint] | None):
        self.missing = checkpoints is None
        self.pending = sorted(checkpoints or [], key=lambda c: (c.count, c.line))
        self.total = len(self.pending)
        self.anchored = max((c.count for c in self.pending), default=0)
        self.records = 0
        self.mismatch: Checkpoint | None = None
        self._next = 0

    def feed(self, seq: int, record_hash: str) -> None:
        self.records = max(self.records, seq)
        while self._next < self.total and self.pending[self._next].count <= seq:
            checkpoint = self.pending[self._next]
            self._next += 1
            if checkpoint.count == 0:
                continue
            if self.mismatch is None and (
                checkpoint.count != seq or checkpoint.head != record_hash
            ):
                self.mismatch = checkpoint

    def watch(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        for row in rows:
            self.feed(int(row["seq"]), str(row["hash"]))
            yield row

    def result(self) -> Comparison:
        records, anchored, total = self.records, self.anchored, self.total
        if self.missing:
            if records:
                return Comparison(
                    MISSING,
                    f"The audit anchor file is missing but the database holds {records} records",
                    records,
                    0,
                    0,
                )
            return Comparison(None, "no records and no anchor yet", 0, 0, 0)
        if anchored > records:
            return Comparison(
                TRUNCATED,
                f"The audit trail was truncated: the anchor vouches for {anchored} records, "
                f"the database holds {records}",
                records,
                anchored,
                total,
            )
        if self.mismatch is not None:
            c = self.mismatch
            return Comparison(
                MISMATCH,
                f"Audit record {c.count} is not the record the anchor vouched for "
                f"(anchor line {c.line}, written {c.at})",
                records,
                anchored,
                total,
            )
        return Comparison(None, "the database matches the anchor", records, anchored, total)
