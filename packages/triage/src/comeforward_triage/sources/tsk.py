"""Raw and E01 disk images through The Sleuth Kit (``pytsk3``) and libewf (``pyewf``).

Stack as in dfVFS (forensic-triage.md §1.9): image (raw or EWF) → partition table
(MBR/GPT via TSK's volume system) → file system (FAT, exFAT, NTFS, ext2/3/4, …).
Partitions are named ``p1``, ``p2``, … in table order, counting only allocated (data)
partitions; a bare file system with no partition table is ``p1``. Deleted files are included
when TSK still holds their metadata (§1.3 Autopsy behaviour); names without metadata are
counted but have nothing to hash. Alternate data streams and unallocated space are not
read (carving is out of scope, §1.5) — the report says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ..errors import CorruptImage, UnsupportedSource
from .base import EvidenceFile, Source, VolumeInfo, decode_name

CHUNK = 1 << 20


def _require_tsk() -> Any:
    try:
        import pytsk3
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise UnsupportedSource(
            "disk images need the 'forensic' extra (pytsk3, libewf-python)",
            details={"install": "uv sync --all-extras"},
        ) from exc
    return pytsk3


class TskFileReader:
    """A read-only, seekable stream over a TSK file's default data attribute."""

    def __init__(self, fs_file: Any, size: int):
        self._f = fs_file
        self._size = size
        self._pos = 0

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            size = self._size - self._pos
        size = min(size, self._size - self._pos)
        if size <= 0:
            return b""
        data = self._f.read_random(self._pos, size)
        if not data:
            raise OSError(f"short read at offset {self._pos}")
        self._pos += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to release: the TSK file handle belongs to the walk."""


def _iso(ts: int | None) -> str | None:
    if not ts:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


class _ImageSource(Source):
    """Common walk for raw and E01 images once a ``pytsk3.Img_Info`` is open."""

    _img: Any = None

    def _open_volumes(self) -> list[tuple[str, int, Any]]:
        pytsk3 = _require_tsk()
        img = self._img
        media = img.get_size()
        found: list[tuple[str, int, Any]] = []
        try:
            vs = pytsk3.Volume_Info(img)
        except OSError:
            vs = None
        if vs is None:
            vol = VolumeInfo(name="p1", start=0, length=media, description="whole image")
            self.volumes.append(vol)
            fs = self._open_fs(vol, 0)
            if fs is not None:
                found.append(("p1", 0, fs))
            if not found:
                raise UnsupportedSource(
                    "no partition table or file system that The Sleuth Kit recognises",
                    details={"path": self.path},
                )
            return found
        block = vs.info.block_size
        n = 0
        for part in vs:
            if not part.flags & pytsk3.TSK_VS_PART_FLAG_ALLOC:
                continue
            n += 1
            desc = (
                part.desc.decode("utf-8", "replace")
                if isinstance(part.desc, bytes)
                else str(part.desc)
            )
            vol = VolumeInfo(
                name=f"p{n}", start=part.start * block, length=part.len * block, description=desc
            )
            self.volumes.append(vol)
            if vol.start + vol.length > media:
                vol.error_code = "PARTITION_BEYOND_IMAGE"
                vol.error = (
                    f"partition ends at byte {vol.start + vol.length} but the image "
                    f"has {media} bytes"
                )
                if vol.start >= media:
                    continue
            fs = self._open_fs(vol, vol.start)
            if fs is not None:
                found.append((vol.name, vol.start, fs))
        return found

    def _open_fs(self, vol: VolumeInfo, offset: int) -> Any:
        pytsk3 = _require_tsk()
        try:
            fs = pytsk3.FS_Info(self._img, offset=offset)
        except OSError as exc:
            if vol.error_code is None:
                vol.error_code = "NO_FILE_SYSTEM"
                vol.error = f"no recognised file system: {str(exc).splitlines()[0][:200]}"
            return None
        vol.fs_type = _fs_name(pytsk3, fs)
        return fs

    def walk(self) -> Iterator[EvidenceFile]:
        pytsk3 = _require_tsk()
        for name, _offset, fs in self._fs_list:
            yield from _walk_fs(pytsk3, fs, name)


def _fs_name(pytsk3: Any, fs: Any) -> str:
    ftype = fs.info.ftype
    for attr in dir(pytsk3):
        if (
            attr.startswith("TSK_FS_TYPE_")
            and getattr(pytsk3, attr) == ftype
            and not attr.endswith(("_DETECT", "_MASK"))
        ):
            return attr.removeprefix("TSK_FS_TYPE_").lower()
    return str(ftype)


def _walk_fs(pytsk3: Any, fs: Any, prefix: str) -> Iterator[EvidenceFile]:
    root = fs.open_dir(path="/")
    seen_dirs: set[int] = {root.info.fs_file.meta.addr} if root.info.fs_file.meta else set()
    stack: list[tuple[Any, str]] = [(root, prefix)]
    reg = pytsk3.TSK_FS_META_TYPE_REG
    dir_type = pytsk3.TSK_FS_META_TYPE_DIR
    lnk = pytsk3.TSK_FS_META_TYPE_LNK
    virt = pytsk3.TSK_FS_META_TYPE_VIRT  # TSK's views of FS metadata ($MBR, $FAT1, …)
    virt_dir = pytsk3.TSK_FS_META_TYPE_VIRT_DIR  # $OrphanFiles: deleted files with metadata
    name_unalloc = pytsk3.TSK_FS_NAME_FLAG_UNALLOC
    meta_unalloc = pytsk3.TSK_FS_META_FLAG_UNALLOC
    while stack:
        directory, dpath = stack.pop()
        try:
            entries = list(directory)
        except OSError as exc:
            yield EvidenceFile(
                path=dpath,
                size=0,
                opener=None,
                error_code="DIRECTORY_UNREADABLE",
                error=str(exc).splitlines()[0][:200],
            )
            continue
        items = []
        for f in entries:
            raw = f.info.name.name
            if raw in (b".", b".."):
                continue
            items.append((raw, f))
        items.sort(key=lambda t: (t[0], t[1].info.meta.addr if t[1].info.meta else -1))
        subdirs: list[tuple[Any, str]] = []
        for raw, f in items:
            name, warnings = decode_name(raw)
            path = f"{dpath}/{name}"
            meta = f.info.meta
            deleted = bool(f.info.name.flags & name_unalloc)
            if meta is None:
                continue  # a deleted name whose metadata is gone: nothing to read
            deleted = deleted or bool(meta.flags & meta_unalloc) or dpath.endswith("/$OrphanFiles")
            if meta.type in (dir_type, virt_dir):
                if meta.addr in seen_dirs:
                    continue
                seen_dirs.add(meta.addr)
                try:
                    subdirs.append((f.as_directory(), path))
                except OSError:
                    if not deleted:
                        yield EvidenceFile(
                            path=path,
                            size=0,
                            opener=None,
                            deleted=deleted,
                            inode=meta.addr,
                            error_code="DIRECTORY_UNREADABLE",
                            error="directory could not be opened",
                        )
                continue
            mtime = _iso(meta.mtime)
            if meta.type == reg:
                size = max(0, int(meta.size))
                yield EvidenceFile(
                    path=path,
                    size=size,
                    opener=_opener(f, size),
                    deleted=deleted,
                    inode=meta.addr,
                    mtime=mtime,
                    warnings=warnings,
                )
            elif meta.type == virt:
                yield EvidenceFile(
                    path=path,
                    size=0,
                    opener=None,
                    deleted=deleted,
                    inode=meta.addr,
                    warnings=warnings,
                    skipped="file-system metadata (TSK virtual file), not read",
                )
            elif meta.type == lnk:
                yield EvidenceFile(
                    path=path,
                    size=0,
                    opener=None,
                    deleted=deleted,
                    inode=meta.addr,
                    mtime=mtime,
                    warnings=warnings,
                    skipped="symbolic link, not followed",
                )
            else:
                yield EvidenceFile(
                    path=path,
                    size=0,
                    opener=None,
                    deleted=deleted,
                    inode=meta.addr,
                    mtime=mtime,
                    warnings=warnings,
                    error_code="NOT_A_REGULAR_FILE",
                    error=f"special file (TSK meta type {int(meta.type)}): not read",
                )
        stack.extend(reversed(subdirs))


def _opener(fs_file: Any, size: int):  # noqa: ANN202 - closure factory
    return lambda: TskFileReader(fs_file, size)


class RawImageSource(_ImageSource):
    """A raw (``dd``) image: bare file system, MBR or GPT partitioned."""

    NAME = "raw"

    def __post_init__(self) -> None:
        pytsk3 = _require_tsk()
        try:
            self._img = pytsk3.Img_Info(self.path)
        except OSError as exc:
            raise CorruptImage(f"cannot open image: {exc}", details={"path": self.path}) from exc
        self.size = self._img.get_size()
        self._fs_list = self._open_volumes()


class _EwfImgInfo:
    """Factory for a ``pytsk3.Img_Info`` subclass reading through a ``pyewf`` handle."""

    @staticmethod
    def make(handle: Any) -> Any:
        pytsk3 = _require_tsk()

        class EwfImgInfo(pytsk3.Img_Info):  # type: ignore[misc, valid-type]
            def __init__(self, h: Any):
                self._h = h
                super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

            def close(self) -> None:
                self._h.close()

            def read(self, offset: int, size: int) -> bytes:
                self._h.seek(offset)
                return self._h.read(size)

            def get_size(self) -> int:
                return self._h.get_media_size()

        return EwfImgInfo(handle)


class E01Source(_ImageSource):
    """An EnCase (EWF) image read through libewf; the stored acquisition hashes are recorded."""

    NAME = "e01"

    def __post_init__(self) -> None:
        _require_tsk()
        import pyewf

        try:
            segments = pyewf.glob(self.path)
            handle = pyewf.handle()
            handle.open(segments)
        except (OSError, RuntimeError) as exc:
            raise CorruptImage(
                f"cannot open E01 image: {str(exc).splitlines()[0][:300]}",
                details={"path": self.path},
            ) from exc
        self._handle = handle
        self.size = handle.get_media_size()
        stored: dict[str, str] = {}
        for alg in ("MD5", "SHA1"):
            try:
                value = handle.get_hash_value(alg)
            except (OSError, RuntimeError):
                value = None
            if value:
                stored[alg.lower()] = value
        self.info["segments"] = [str(s) for s in segments]
        self.info["acquisition_hashes"] = stored
        self.info["acquisition_hashes_verified"] = False
        self._img = _EwfImgInfo.make(handle)
        try:
            self._fs_list = self._open_volumes()
        except OSError as exc:
            raise CorruptImage(
                f"cannot read E01 image: {exc}", details={"path": self.path}
            ) from exc

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self._handle.close()
