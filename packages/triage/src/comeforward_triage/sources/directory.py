"""Directory-tree source: ``os.scandir`` directly (forensic-triage.md §1.9, design
implication), symbolic links never followed, non-regular files recorded, not opened.

Files are opened ``O_RDONLY | O_NOFOLLOW`` (and ``O_NOATIME`` where permitted) so that the
walk changes nothing on the evidence (ACPO principle 1, §5.1).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from .. import native
from .base import EvidenceFile, Source, decode_name

_NOATIME = getattr(os, "O_NOATIME", 0)


def _open_readonly(path: bytes) -> BinaryIO:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
    except PermissionError:
        fd = os.open(path, flags)  # O_NOATIME needs ownership; fall back
    return os.fdopen(fd, "rb", buffering=0)


def mtime_of(ns: int) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, microseconds truncated) from nanoseconds since the
    epoch — the same string as the native core's; ``None`` outside the years 1–9999."""
    sec, rest = divmod(ns, 1_000_000_000)
    try:
        t = time.gmtime(sec)
    except (OverflowError, OSError, ValueError):
        return None
    if not 1 <= t.tm_year <= 9999:
        return None
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        f"T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{rest // 1000:06d}Z"
    )


class StatInfo(NamedTuple):
    """What the walk needs of an ``lstat``."""

    mode: int
    size: int
    inode: int
    mtime: str | None


def lstat_all(abs_dir: bytes, names: list[bytes]) -> list[StatInfo | OSError]:
    """``lstat`` each name in *abs_dir* (links not followed): natively in one call where the
    core is built (ADR 0102, addendum 3), else one ``os.lstat`` each."""
    if native.AVAILABLE:
        try:
            raw = native.core().lstat_names(abs_dir, names)
        except OSError:
            pass  # the directory itself cannot be opened (e.g. path too long): per name below
        else:
            return [OSError(r, os.strerror(r)) if isinstance(r, int) else StatInfo(*r) for r in raw]
    out: list[StatInfo | OSError] = []
    for raw_name in names:
        try:
            st = os.lstat(os.path.join(abs_dir, raw_name))
        except OSError as exc:
            out.append(exc)
            continue
        out.append(StatInfo(st.st_mode, st.st_size, st.st_ino, mtime_of(st.st_mtime_ns)))
    return out


_KIND = {
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFIFO: "FIFO (named pipe)",
    stat.S_IFSOCK: "socket",
}


#: Where Linux publishes block devices (``/sys/dev/block/MAJOR:MINOR``); a parameter for tests.
SYSFS = "/sys"


def rotational_disk(path: str, sysfs: str | None = None) -> tuple[bool | None, str]:
    """Whether *path* is on a spinning disk, from the kernel's view of the block device that
    holds it: ``/sys/dev/block/MAJOR:MINOR/queue/rotational`` (for a partition, its disk's).
    ``None`` when it cannot be told — not Linux, or a file system with no block device of its
    own (tmpfs, overlay, NFS, btrfs over several devices). The second value says why, for the
    report. (A virtual machine's disk often reports ``1`` whatever lies below it; USB bridges
    too. Reading sequentially is then merely slower, never wrong.)"""
    try:
        st = os.stat(path)
    except OSError as exc:
        return None, f"cannot stat the source ({exc.strerror})"
    dev = f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"
    base = os.path.join(sysfs or SYSFS, "dev", "block", dev)
    for where in ("queue", os.path.join("..", "queue")):
        try:
            with open(os.path.join(base, where, "rotational")) as fh:
                flag = fh.read().strip()
        except OSError:
            continue
        name = os.path.basename(os.path.realpath(os.path.join(base, where, "..")))
        return flag == "1", f"block device {dev} ({name}) reports rotational={flag}"
    return None, f"no block device found for {dev}"


#: Files read by :func:`read_latency` (at most), and the bytes read of each.
PROBE_FILES = 24
PROBE_BYTES = 64 << 10


def read_latency(root: str, files: int = PROBE_FILES) -> tuple[float | None, str]:
    """What reading the evidence actually costs (ADR 0102, addendum 6): the median time to
    open a file and read its first :data:`PROBE_BYTES`, over up to *files* regular files taken
    from different folders near the top of the tree and read out of walk order, so that a
    spinning disk has to seek between them (~4-15 ms a file) while an SSD, network share or the
    page cache answers in well under a millisecond. ``None`` when the tree has no file to try.

    The kernel's rotational flag alone is not enough: a virtual machine's disk often reports
    ``1`` whatever lies below it (this development VM's virtio disk does), and the evidence may
    be in the page cache already. The files read are files the run reads anyway."""
    picked: list[bytes] = []
    folders = [os.fsencode(root)]
    seen = 0
    while folders and len(picked) < files and seen < 4 * files:
        folder = folders.pop(0)
        seen += 1
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        taken = 0
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    folders.append(e.path)  # type: ignore[arg-type]
                elif taken < 2 and e.is_file(follow_symlinks=False):
                    picked.append(e.path)  # type: ignore[arg-type]
                    taken += 1
            except OSError:
                continue
    if not picked:
        return None, "no file to measure"
    order = picked[::2][::-1] + picked[1::2]  # out of walk order: a disk head has to move
    times = []
    for path in order:
        t0 = time.perf_counter()
        try:
            fh = _open_readonly(path)
        except OSError:
            continue
        try:
            fh.read(PROBE_BYTES)
        except (OSError, ValueError, EOFError, RuntimeError):
            continue
        finally:
            fh.close()
        times.append(time.perf_counter() - t0)
    if not times:
        return None, "no file could be read to measure"
    times.sort()
    return times[len(times) // 2], f"median of {len(times)} files read out of order"


class DirectorySource(Source):
    NAME = "directory"
    PARALLEL_SMALL_READS = True

    def rotational(self) -> tuple[bool | None, str]:
        return rotational_disk(self.path)

    def read_latency(self) -> tuple[float | None, str]:
        return read_latency(self.path)

    def walk(self) -> Iterator[EvidenceFile]:
        root = os.fsencode(self.path)
        yield from self._walk_dir(root, "")

    def _walk_dir(self, abs_dir: bytes, rel: str) -> Iterator[EvidenceFile]:
        for abs_path, rel_path, ef in scan_dir(abs_dir, rel):
            if ef is None:
                yield from self._walk_dir(abs_path, rel_path)
            else:
                yield ef


#: One directory entry of :func:`scan_dir`: absolute path, path relative to the root, and the
#: entry (``None`` for a sub-directory, which the caller walks — or hands to a worker).
Entry = tuple[bytes, str, EvidenceFile | None]


def list_dir(abs_dir: bytes) -> list[bytes]:
    """The names in *abs_dir*, sorted by their bytes (the deterministic walk order, §5.1)."""
    with os.scandir(abs_dir) as it:
        return sorted(e.name for e in it)  # type: ignore[misc]


def unreadable_dir(rel: str, exc: OSError) -> EvidenceFile:
    return EvidenceFile(
        path=rel or ".",
        size=0,
        opener=None,
        error_code="DIRECTORY_UNREADABLE",
        error=f"{exc.strerror} (errno {exc.errno})",
    )


def scan_dir(abs_dir: bytes, rel: str, names: list[bytes] | None = None) -> Iterator[Entry]:
    """The entries of one directory (not recursive), in walk order.

    *names* (from :func:`list_dir`) restricts the scan to part of a directory, so that worker
    processes can share a large one (ADR 0102, "worker processes"). Every entry is examined
    with ``lstat`` — links are never followed.
    """
    if names is None:
        try:
            names = list_dir(abs_dir)
        except OSError as exc:
            yield abs_dir, rel, unreadable_dir(rel, exc)
            return
    prefix = abs_dir if abs_dir.endswith(b"/") else abs_dir + b"/"  # os.path.join, cheaper
    for raw, st in zip(names, lstat_all(abs_dir, names), strict=True):
        name, warnings = decode_name(raw)
        rel_path = f"{rel}/{name}" if rel else name
        path = prefix + raw
        if isinstance(st, OSError):
            yield (
                path,
                rel_path,
                EvidenceFile(
                    path=rel_path,
                    size=0,
                    opener=None,
                    warnings=warnings,
                    error_code="STAT_FAILED",
                    error=str(st.strerror),
                ),
            )
            continue
        mode = st.mode
        if stat.S_ISDIR(mode):
            yield path, rel_path, None
        elif stat.S_ISREG(mode):
            yield (
                path,
                rel_path,
                regular_file(path, rel_path, st.size, st.inode, st.mtime, warnings),
            )
        elif stat.S_ISLNK(mode):
            yield path, rel_path, _symlink_entry(path, rel_path, st, warnings)
        else:
            kind = _KIND.get(stat.S_IFMT(mode), "special file")
            yield (
                path,
                rel_path,
                EvidenceFile(
                    path=rel_path,
                    size=0,
                    opener=None,
                    inode=st.inode,
                    mtime=st.mtime,
                    warnings=warnings,
                    error_code="NOT_A_REGULAR_FILE",
                    error=f"{kind}: not read",
                ),
            )


def regular_file(
    abs_path: bytes,
    rel_path: str,
    size: int,
    inode: int,
    mtime: str | None,
    warnings: tuple[str, ...],
) -> EvidenceFile:
    """The entry of a regular file (also rebuilt by the main process from a worker's reply)."""
    return EvidenceFile(
        path=rel_path,
        size=size,
        opener=_opener(abs_path),
        inode=inode,
        mtime=mtime,
        warnings=warnings,
    )


def _opener(path: bytes):  # noqa: ANN202 - closure factory
    return lambda: _open_readonly(path)


def _symlink_entry(
    abs_path: bytes, rel_path: str, st: StatInfo, warnings: tuple[str, ...]
) -> EvidenceFile:
    target, _ = decode_name(os.readlink(abs_path))
    try:
        os.stat(abs_path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return EvidenceFile(
                path=rel_path,
                size=0,
                opener=None,
                inode=st.inode,
                mtime=st.mtime,
                warnings=warnings,
                error_code="SYMLINK_LOOP",
                error=f"symbolic link loop (target {target!r})",
            )
        return EvidenceFile(
            path=rel_path,
            size=0,
            opener=None,
            inode=st.inode,
            mtime=st.mtime,
            warnings=warnings,
            skipped=f"dangling symbolic link to {target!r}, not followed",
        )
    return EvidenceFile(
        path=rel_path,
        size=0,
        opener=None,
        inode=st.inode,
        mtime=st.mtime,
        warnings=warnings,
        skipped=f"symbolic link to {target!r}, not followed",
    )
