"""Archives found inside the evidence are walked as well: ZIP and TAR by the standard library;
7z, RAR (4 and 5), ISO 9660 and the single-stream compressors gzip, bzip2 and xz through
libarchive (``libarchive-c`` over Debian's ``libarchive13``; issue 16 item 7). A gzip/bzip2/xz
file has one member, ``data``: the decompressed stream, one layer (a ``.tar.gz`` is a gzip whose
member is a TAR, walked in turn), read with the standard library's ``gzip``/``bz2``/``lzma``.

Member paths are ``archive/path!/member/path`` (nested: ``a.zip!/b.tar!/c.jpg``). Limits
against archive bombs (the "zip bomb" pattern: huge expansion ratio, deep nesting, huge total
size; cf. bulk_extractor's recursive decoders, forensic-triage.md §1.5) are configuration in
:class:`ArchiveLimits`; a member that breaks one is recorded with an error, never expanded.
"""

from __future__ import annotations

import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
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


def iter_members(
    kind: str, fh: IO[bytes], limits: ArchiveLimits, spool_dir: str | None = None
) -> Iterator[Member]:
    """Yield the regular-file members of an archive open in *fh* (seekable). Members of a
    libarchive format are read in order as they are yielded: each is valid until the next."""
    if kind == "application/zip":
        yield from _iter_zip(fh, limits)
    elif kind == "application/x-tar":
        yield from _iter_tar(fh, limits)
    elif kind in LIBARCHIVE_KINDS:
        yield from _iter_libarchive(kind, fh, limits, spool_dir)
    elif kind in STREAM_KINDS:
        yield from _iter_stream(kind, fh, limits, spool_dir)
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


#: MIME type → (libarchive format, the name used in messages). ``raw``: one member, the
#: decompressed stream (libarchive's filters detect gzip/bzip2/xz themselves).
LIBARCHIVE_KINDS: dict[str, tuple[str, str]] = {
    "application/x-7z-compressed": ("7zip", "7z"),
    "application/vnd.rar": ("all", "RAR"),
    "application/x-iso9660-image": ("iso9660", "ISO 9660"),
}
#: Single-stream compressors: one member, ``data``, decompressed one layer deep by the standard
#: library's C-backed modules (libarchive's filters would strip every layer of a gzip in a
#: gzip at once, so that the depth limit could not see them).
STREAM_KINDS: dict[str, str] = {
    "application/gzip": "gzip",
    "application/x-bzip2": "bzip2",
    "application/x-xz": "xz",
}
#: Read size from the archive and of each member's data.
LIBARCHIVE_BLOCK = 1 << 16


class _Counted:
    """The archive stream as libarchive-c wants it (``readinto``, seek), counting the bytes
    libarchive has taken from it — the "stored" side of the expansion ratio."""

    def __init__(self, fh: Any):
        self._fh = fh
        self.consumed = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self._fh.read(size)
        self.consumed += len(data)
        return data  # type: ignore[no-any-return]

    def readinto(self, buf: Any) -> int:
        data = self._fh.read(len(buf))
        n = len(data)
        buf[:n] = data
        self.consumed += n
        return n

    def seekable(self) -> bool:
        seekable = getattr(self._fh, "seekable", None)
        return bool(seekable()) if seekable is not None else False

    def seek(self, offset: int, whence: int = 0) -> int:
        return int(self._fh.seek(offset, whence))

    def tell(self) -> int:
        return int(self._fh.tell())


def _entry_encrypted(entry: Any) -> bool:
    """libarchive's ``archive_entry_is_encrypted`` (data or metadata encrypted; libarchive
    ≥ 3.2), which libarchive-c does not wrap: a stored encrypted member would otherwise be read
    — and hashed — as its ciphertext without a word."""
    try:
        import ctypes

        from libarchive.ffi import libarchive as lib

        fn = lib.archive_entry_is_encrypted
        fn.argtypes = [ctypes.c_void_p]
        fn.restype = ctypes.c_int
        return bool(fn(entry._entry_p))
    except (ImportError, AttributeError, OSError):  # pragma: no cover - an old libarchive
        return False


def _encrypted(message: str) -> bool:
    low = message.lower()
    return "encrypt" in low or "passphrase" in low or "password" in low


def _iter_libarchive(
    kind: str, fh: IO[bytes], limits: ArchiveLimits, spool_dir: str | None
) -> Iterator[Member]:
    """Members of a 7z, RAR, ISO 9660, gzip, bzip2 or xz file, each decompressed once into a
    spool (memory up to ``spool_in_memory``, then a file in the run's spool folder) so that its
    real size is known before it is hashed — these formats' sizes are in headers that can lie,
    or nowhere (gzip/bzip2/xz). The bomb limits of ZIP/TAR apply while it is decompressed:
    ``ARCHIVE_RATIO_LIMIT`` once a member passes ``ratio_floor`` and everything expanded from
    the archive so far exceeds ``max_ratio`` × the bytes read from it, ``ARCHIVE_TOTAL_LIMIT``
    past ``max_total_bytes``, ``ARCHIVE_MEMBER_LIMIT`` past ``max_members``; a member refused
    ends the walk of that archive (going on would mean decompressing through it)."""
    try:
        import libarchive
    except (ImportError, OSError) as exc:  # the Python binding, or libarchive13 itself
        raise ArchiveError(
            "UNSUPPORTED_ARCHIVE",
            f"{LIBARCHIVE_KINDS[kind][1]} archives need libarchive-c and libarchive13: {exc}",
        ) from exc
    fmt, label = LIBARCHIVE_KINDS[kind]
    src = _Counted(fh)
    expanded = 0
    count = 0
    try:
        with libarchive.stream_reader(
            src, format_name=fmt, block_size=LIBARCHIVE_BLOCK, header_codec="utf-8"
        ) as archive:
            for entry in archive:
                count += 1
                if count > limits.max_members:
                    raise ArchiveError(
                        "ARCHIVE_MEMBER_LIMIT",
                        f"more than {limits.max_members} members (the limit); not walked further",
                    )
                member = yield from _libarchive_member(entry, src, expanded, limits, spool_dir)
                if member is None:
                    continue
                expanded += member
    except libarchive.ArchiveError as exc:
        message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        if _encrypted(message):
            raise ArchiveError("ENCRYPTED", f"encrypted {label} archive: {message}") from exc
        raise ArchiveError("CORRUPT_ARCHIVE", f"{label} archive cannot be read: {message}") from exc
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise ArchiveError("CORRUPT_ARCHIVE", f"{label} archive cannot be read: {exc}") from exc


def _mtime(entry: Any) -> str | None:
    ts = entry.mtime
    if not ts:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return None


def _libarchive_member(
    entry: Any, src: _Counted, expanded: int, limits: ArchiveLimits, spool_dir: str | None
) -> Generator[Member, None, int | None]:
    """Yield one member (if any) and return the bytes it expanded to (None: nothing read)."""
    name, warnings = decode_name(entry.pathname.encode("utf-8", "surrogateescape"))
    name = _clean(name)
    if entry.isdir:
        return None
    if entry.issym or entry.islnk:
        yield Member(
            name=name,
            size=0,
            opener=None,
            warnings=warnings,
            skipped=f"link to {entry.linkpath!r} inside archive, not followed",
        )
        return None
    if not entry.isreg:
        yield Member(
            name=name,
            size=0,
            opener=None,
            warnings=warnings,
            error_code="NOT_A_REGULAR_FILE",
            error="special file in archive",
        )
        return None
    if _entry_encrypted(entry):
        yield Member(
            name=name,
            size=max(0, entry.size or 0),
            opener=None,
            mtime=_mtime(entry),
            warnings=warnings,
            error_code="ENCRYPTED",
            error="encrypted archive member; not read",
        )
        return None
    return (
        yield from _spooled(
            name,
            entry.get_blocks(LIBARCHIVE_BLOCK),
            src,
            expanded,
            limits,
            spool_dir,
            mtime=_mtime(entry),
            warnings=warnings,
            declared=max(0, entry.size or 0),
        )
    )


def _iter_stream(
    kind: str, fh: IO[bytes], limits: ArchiveLimits, spool_dir: str | None
) -> Iterator[Member]:
    """The one member of a gzip, bzip2 or xz file: its decompressed stream, ``data``."""
    import bz2
    import gzip
    import lzma

    label = STREAM_KINDS[kind]
    src = _Counted(fh)
    opened: Any
    if label == "gzip":
        opened = gzip.GzipFile(fileobj=src, mode="rb")  # type: ignore[arg-type]
    elif label == "bzip2":
        opened = bz2.BZ2File(src)  # type: ignore[arg-type]
    else:
        opened = lzma.LZMAFile(src)  # type: ignore[arg-type]  # noqa: SIM115 - closed below

    def blocks() -> Iterator[bytes]:
        while True:
            block = opened.read(LIBARCHIVE_BLOCK)
            if not block:
                return
            yield block

    try:
        yield from _spooled("data", blocks(), src, 0, limits, spool_dir)
    except (OSError, EOFError, ValueError, lzma.LZMAError) as exc:
        raise ArchiveError("CORRUPT_ARCHIVE", f"{label} stream cannot be read: {exc}") from exc
    finally:
        opened.close()


def _spooled(  # noqa: PLR0913 - one member's whole context
    name: str,
    blocks: Iterator[bytes],
    src: _Counted,
    expanded: int,
    limits: ArchiveLimits,
    spool_dir: str | None,
    *,
    mtime: str | None = None,
    warnings: tuple[str, ...] = (),
    declared: int = 0,
) -> Generator[Member, None, int | None]:
    """Decompress one member into a spool under the bomb limits and yield it (or, refused, the
    member with its error — then raise, ending the archive's walk). Returns its size."""
    before = src.consumed
    spool = tempfile.SpooledTemporaryFile(limits.spool_in_memory, dir=spool_dir)  # noqa: SIM115
    size = 0
    refused: tuple[str, str] | None = None
    try:
        for block in blocks:
            size += len(block)
            if size > limits.max_total_bytes:
                refused = (
                    "ARCHIVE_TOTAL_LIMIT",
                    f"member expands past the limit of {limits.max_total_bytes} bytes per "
                    "archive; not read",
                )
                break
            ratio = (expanded + size) / max(1, src.consumed)
            if size >= limits.ratio_floor and ratio > limits.max_ratio:
                refused = (
                    "ARCHIVE_RATIO_LIMIT",
                    f"compression ratio {ratio:.0f}:1 exceeds the limit of "
                    f"{limits.max_ratio:.0f}:1; not expanded",
                )
                break
            spool.write(block)
    except Exception as exc:
        spool.close()
        message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        if _encrypted(message):
            yield Member(
                name=name,
                size=declared,
                opener=None,
                mtime=mtime,
                warnings=warnings,
                error_code="ENCRYPTED",
                error="encrypted archive member; not read",
            )
            return None
        raise
    if refused is not None:
        spool.close()
        yield Member(
            name=name,
            size=size,
            opener=None,
            mtime=mtime,
            warnings=warnings,
            error_code=refused[0],
            error=refused[1],
        )
        raise ArchiveError(refused[0], f"{refused[1]} (member {name!r}); not walked further")
    spool.seek(0)
    try:
        yield Member(
            name=name,
            size=size,
            opener=_spool_opener(spool),
            mtime=mtime,
            warnings=warnings,
            stored=max(0, src.consumed - before),
        )
    finally:
        spool.close()
    return size


def _spool_opener(spool: IO[bytes]) -> Callable[[], Readable]:
    def open_member() -> Readable:
        spool.seek(0)
        return _NoClose(spool)

    return open_member


class _NoClose:
    """The member's spool as a stream whose ``close`` leaves the spool to its owner."""

    def __init__(self, fh: IO[bytes]):
        self._fh = fh

    def read(self, size: int = -1, /) -> bytes:
        return self._fh.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """The spool is closed by the walk once the member has been read."""
