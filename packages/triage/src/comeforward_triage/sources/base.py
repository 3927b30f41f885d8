"""What every evidence source yields: a sequence of :class:`EvidenceFile` entries.

A source is opened read-only (ACPO principle 1; forensic-triage.md §5.1) and walked
deterministically, so that a resumed run sees the same entries in the same order (§5.1,
principle 3: "an independent third party should be able to ... achieve the same result").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class EvidenceFile:
    """One file found in the evidence.

    ``opener`` returns a fresh read-only stream of the content; ``None`` when the entry cannot
    be read at all, in which case ``error_code``/``error`` say why.
    """

    path: str
    size: int
    opener: Callable[[], Readable] | None
    deleted: bool = False
    inode: int | None = None
    mtime: str | None = None
    error_code: str | None = None
    error: str | None = None
    skipped: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable identity within one run (paths can repeat in an image, inodes differ)."""
        return record_key(self.path, self.inode, self.deleted)


def record_key(path: str, inode: int | None, deleted: bool) -> str:
    return f"{path}\x00{'' if inode is None else inode}\x00{int(deleted)}"


@dataclass
class VolumeInfo:
    """A partition / file system found in an image (for the report's coverage section)."""

    name: str
    start: int
    length: int
    description: str
    fs_type: str | None = None
    error_code: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start": self.start,
            "length": self.length,
            "description": self.description,
            "fs_type": self.fs_type,
            "error": None if self.error is None else f"{self.error_code}: {self.error}",
        }


@dataclass
class Source:
    """Base for sources: subclasses set ``NAME`` and implement :meth:`walk`."""

    NAME: ClassVar[str] = ""
    #: Small files may be opened and read by the hashing threads themselves (in parallel)
    #: instead of by the one sequential reader — only where the reads are cheap and random
    #: access costs nothing extra (a directory tree). See ADR 0102.
    PARALLEL_SMALL_READS: ClassVar[bool] = False
    path: str
    size: int = 0
    volumes: list[VolumeInfo] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Subclasses open the evidence here (read-only)."""

    def walk(self) -> Iterator[EvidenceFile]:
        raise NotImplementedError

    def rotational(self) -> tuple[bool | None, str]:
        """Whether the evidence sits on a spinning disk (``None``: unknown), and how that was
        found — asked only of sources whose reads could be shared out (ADR 0102, addendum 4)."""
        return None, "not looked up for this kind of source"

    def read_latency(self) -> tuple[float | None, str]:
        """Seconds a small read takes here, measured (``None``: not measured), and how — asked
        when the disk may be spinning (ADR 0102, addendum 6)."""
        return None, "not measured for this kind of source"

    def close(self) -> None:
        """Release handles (default: nothing to release)."""

    def describe(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.NAME,
            "bytes": self.size,
            "sha256": None,
            "volumes": [v.as_dict() for v in self.volumes],
            **self.info,
        }


def decode_name(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode a file name; names that are not valid UTF-8 keep their bytes as ``\\xNN``."""
    try:
        return raw.decode("utf-8"), ()
    except UnicodeDecodeError:
        shown = raw.decode("utf-8", errors="backslashreplace")
        return shown, (f"NAME_NOT_UTF8: name bytes {raw.hex()} are not valid UTF-8",)
