"""ZIP and TAR archives found inside the evidence are walked as well.

Member paths are ``archive/path!/member/path`` (nested: ``a.zip!/b.tar!/c.jpg``). Limits
against archive bombs (the "zip bomb" pattern: huge expansion ratio, deep nesting, huge total
size; cf. bulk_extractor's recursive decoders, forensic-triage.md §1.5) are configuration in
:class:`ArchiveLimits`; a member that breaks one is recorded with an error, never expanded.
"""

from __future__ import annotations

import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from .sources.base import Readable, decode_name


@dataclass(frozen=True)
class ArchiveLimits:
    max_depth: int = 5  # archives inside archives inside ... the evidence
    max_ratio: float = 100.0  # uncompressed / compressed size, per member
    ratio_floor: int = 1 << 20  # members smaller than this are never ratio-checked
    max_total_bytes: int = 16 << 30  # uncompressed bytes per top-level archive tree
    max_members: int = 100_000  # members per archive
    spool_in_memory: int = 64 << 20  # nested archives up to this size stay in memory
    #: Budget across every archive of the exhibit together (issue 11 item 8): expanded bytes
    #: of all members of all archives in the run ...
    max_exhibit_bytes: int = 64 << 30
    #: ... and, once they pass this floor, their overall ratio (expanded / stored) may not
    #: exceed ``max_ratio`` — so that thousands of members each under ``ratio_floor`` (never
    #: ratio-checked one by one) cannot expand to gigabytes unnoticed.
    exhibit_ratio_floor: int = 256 << 20


@dataclass
class Member:
    name: str
    size: int
    opener: Callable[[], Readable] | None
    mtime: str | None = None
    error_code: str | None = None
    error: str | None = None
    skipped: str | None = None
    warnings: tuple[str, ...] = ()
    #: bytes the member takes inside the archive (ZIP: compressed size; TAR: its size)
    stored: int = 0


@dataclass
class ExhibitBudget:
    """Expanded and stored bytes of every archive member let through so far in the run, across
    all archives (issue 11 item 8). On resume it starts from the archives the journal already
    holds as complete (their members are not walked again)."""

    expanded: int = 0
    stored: int = 0
    refused: int = 0

    def check(self, size: int, stored: int, limits: ArchiveLimits) -> tuple[str, str] | None:
        """``None`` and the member is counted, or ``(code, message)``: not expanded."""
        expanded = self.expanded + size
        if expanded > limits.max_exhibit_bytes:
            self.refused += 1
            return (
                "ARCHIVE_TOTAL_LIMIT",
                f"expanding this member would pass the limit of {limits.max_exhibit_bytes} "
                f"bytes for all archives of the exhibit together ({self.expanded} expanded "
                "so far); not read",
            )
        stored_total = self.stored + stored
        if expanded > limits.exhibit_ratio_floor and expanded > limits.max_ratio * max(
            1, stored_total
        ):
            self.refused += 1
            ratio = expanded / max(1, stored_total)
            return (
                "ARCHIVE_RATIO_LIMIT",
                f"the archives of this exhibit together would expand {ratio:.0f}:1 "
                f"({expanded} bytes from {stored_total}), past the limit of "
                f"{limits.max_ratio:.0f}:1 once {limits.exhibit_ratio_floor} bytes are "
                "expanded; not read",
            )
        self.expanded = expanded
        self.stored = stored_total
        return None

    def as_dict(self) -> dict[str, int]:
        return {"expanded": self.expanded, "stored": self.stored, "refused_members": self.refused}


class ArchiveError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _clean(name: str) -> str:
    while name.startswith(("./", "/")):
        name = name[2:] if name.startswith("./") else name[1:]
    return name


def _zip_name(info: zipfile.ZipInfo) -> tuple[str, tuple[str, ...]]:
    if info.flag_bits & 0x800:
        return info.filename, ()
    # legacy (non-UTF-8) names: zipfile decoded them as cp437; keep that but say so
    return info.filename, ()


def iter_members(kind: str, fh: IO[bytes], limits: ArchiveLimits) -> Iterator[Member]:
    """Yield the regular-file members of a ZIP or TAR archive open in *fh* (seekable)."""
    if kind == "application/zip":
        yield from _iter_zip(fh, limits)
    elif kind == "application/x-tar":
        yield from _iter_tar(fh, limits)
    else:  # pragma: no cover - caller checks
        raise ArchiveError("UNSUPPORTED_ARCHIVE", f"not an archive type we walk: {kind}")


def _iter_zip(fh: IO[bytes], limits: ArchiveLimits) -> Iterator[Member]:
    try:
        zf = zipfile.ZipFile(fh)  # type: ignore[arg-type]
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError("CORRUPT_ARCHIVE", f"ZIP archive cannot be read: {exc}") from exc
    if len(infos) > limits.max_members:
        raise ArchiveError(
            "ARCHIVE_MEMBER_LIMIT", f"{len(infos)} members exceed the limit of {limits.max_members}"
        )
    for info in sorted(infos, key=lambda i: i.filename):
        if info.is_dir():
            continue
        name, warnings = _zip_name(info)
        y, mo, d, h, mi, sec = info.date_time
        mtime = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}"
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size >= limits.ratio_floor and ratio > limits.max_ratio:
            yield Member(
                name=_clean(name),
                size=info.file_size,
                opener=None,
                mtime=mtime,
                warnings=warnings,
                error_code="ARCHIVE_RATIO_LIMIT",
                error=(
                    f"compression ratio {ratio:.0f}:1 exceeds the limit of "
                    f"{limits.max_ratio:.0f}:1; not expanded"
                ),
            )
            continue
        if info.flag_bits & 0x1:
            yield Member(
                name=_clean(name),
                size=info.file_size,
                opener=None,
                mtime=mtime,
                warnings=warnings,
                error_code="ENCRYPTED",
                error="encrypted archive member; not read",
            )
            continue
        yield Member(
            name=_clean(name),
            size=info.file_size,
            mtime=mtime,
            warnings=warnings,
            opener=_zip_opener(zf, info),
            stored=info.compress_size,
        )


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], Readable]:
    return lambda: zf.open(info, "r")


def _iter_tar(fh: IO[bytes], limits: ArchiveLimits) -> Iterator[Member]:
    try:
        tf = tarfile.open(fileobj=fh, mode="r:")  # type: ignore[arg-type]  # noqa: SIM115
        infos = tf.getmembers()
    except (tarfile.TarError, OSError, ValueError, EOFError) as exc:
        raise ArchiveError("CORRUPT_ARCHIVE", f"TAR archive cannot be read: {exc}") from exc
    if len(infos) > limits.max_members:
        raise ArchiveError(
            "ARCHIVE_MEMBER_LIMIT", f"{len(infos)} members exceed the limit of {limits.max_members}"
        )
    for info in sorted(infos, key=lambda i: i.name):
        raw = info.name.encode("utf-8", "surrogateescape")
        name, warnings = decode_name(raw)
        if info.isdir():
            continue
        if info.issym() or info.islnk():
            yield Member(
                name=_clean(name),
                size=0,
                opener=None,
                warnings=warnings,
                skipped=f"link to {info.linkname!r} inside archive, not followed",
            )
            continue
        if not info.isreg():
            yield Member(
                name=_clean(name),
                size=0,
                opener=None,
                warnings=warnings,
                error_code="NOT_A_REGULAR_FILE",
                error="special file in archive",
            )
            continue
        yield Member(
            name=_clean(name),
            size=info.size,
            warnings=warnings,
            opener=_tar_opener(tf, info),
            stored=info.size,
        )


def _tar_opener(tf: tarfile.TarFile, info: tarfile.TarInfo) -> Callable[[], Any]:
    def open_member() -> Any:
        f = tf.extractfile(info)
        if f is None:
            raise OSError("tar member cannot be opened")
        return f

    return open_member
