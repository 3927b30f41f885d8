"""Directory-tree source: ``os.scandir`` directly (forensic-triage.md §1.9, design
implication), symbolic links never followed, non-regular files recorded, not opened.

Files are opened ``O_RDONLY | O_NOFOLLOW`` (and ``O_NOATIME`` where permitted) so that the
walk changes nothing on the evidence (ACPO principle 1, §5.1).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from .base import EvidenceFile, Source, decode_name

_NOATIME = getattr(os, "O_NOATIME", 0)


def _open_readonly(path: bytes) -> BinaryIO:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
    except PermissionError:
        fd = os.open(path, flags)  # O_NOATIME needs ownership; fall back
    return os.fdopen(fd, "rb", buffering=0)


def _mtime(st: os.stat_result) -> str:
    return datetime.fromtimestamp(st.st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_KIND = {
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFIFO: "FIFO (named pipe)",
    stat.S_IFSOCK: "socket",
}


class DirectorySource(Source):
    NAME = "directory"
    PARALLEL_SMALL_READS = True

    def walk(self) -> Iterator[EvidenceFile]:
        root = os.fsencode(self.path)
        yield from self._walk_dir(root, "")

    def _walk_dir(self, abs_dir: bytes, rel: str) -> Iterator[EvidenceFile]:
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield EvidenceFile(
                path=rel or ".",
                size=0,
                opener=None,
                error_code="DIRECTORY_UNREADABLE",
                error=f"{exc.strerror} (errno {exc.errno})",
            )
            return
        for entry in entries:
            name, warnings = decode_name(entry.name)
            rel_path = f"{rel}/{name}" if rel else name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield EvidenceFile(
                    path=rel_path,
                    size=0,
                    opener=None,
                    warnings=warnings,
                    error_code="STAT_FAILED",
                    error=str(exc.strerror),
                )
                continue
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                yield from self._walk_dir(entry.path, rel_path)
            elif stat.S_ISREG(mode):
                yield EvidenceFile(
                    path=rel_path,
                    size=st.st_size,
                    opener=_opener(entry.path),
                    inode=st.st_ino,
                    mtime=_mtime(st),
                    warnings=warnings,
                )
            elif stat.S_ISLNK(mode):
                yield _symlink_entry(entry.path, rel_path, st, warnings)
            else:
                kind = _KIND.get(stat.S_IFMT(mode), "special file")
                yield EvidenceFile(
                    path=rel_path,
                    size=0,
                    opener=None,
                    inode=st.st_ino,
                    mtime=_mtime(st),
                    warnings=warnings,
                    error_code="NOT_A_REGULAR_FILE",
                    error=f"{kind}: not read",
                )


def _opener(path: bytes):  # noqa: ANN202 - closure factory
    return lambda: _open_readonly(path)


def _symlink_entry(
    abs_path: bytes, rel_path: str, st: os.stat_result, warnings: tuple[str, ...]
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
                inode=st.st_ino,
                mtime=_mtime(st),
                warnings=warnings,
                error_code="SYMLINK_LOOP",
                error=f"symbolic link loop (target {target!r})",
            )
        return EvidenceFile(
            path=rel_path,
            size=0,
            opener=None,
            inode=st.st_ino,
            mtime=_mtime(st),
            warnings=warnings,
            skipped=f"dangling symbolic link to {target!r}, not followed",
        )
    return EvidenceFile(
        path=rel_path,
        size=0,
        opener=None,
        inode=st.st_ino,
        mtime=_mtime(st),
        warnings=warnings,
        skipped=f"symbolic link to {target!r}, not followed",
    )
