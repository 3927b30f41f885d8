"""The native walk-and-hash core, when it was built (ADR 0102, addendum 3).

``_native`` (C, ``_native.c``) does the per-file work of a directory tree — ``lstat``,
open/read/close, MD5 + SHA-1 + SHA-256 through OpenSSL, hex digests, the mtime string — without
the GIL and without a Python object per step. The engine uses it where it is importable and
falls back to the pure-Python path otherwise; both give the same records byte for byte
(``tests/test_native.py``). ``COMEFORWARD_TRIAGE_PURE=1`` forces the Python path (tests,
comparisons).
"""

from __future__ import annotations

import hashlib
import os
from types import ModuleType
from typing import Protocol

_native: ModuleType | None
try:
    from . import _native  # type: ignore[attr-defined, no-redef]
except ImportError:  # not built: no compiler or OpenSSL headers where it was installed
    _native = None

#: True when the native core is built and not switched off.
AVAILABLE = _native is not None and os.environ.get("COMEFORWARD_TRIAGE_PURE") != "1"

#: ``(stage, errno, bytes hashed, md5, sha1, sha256, head, data)`` — see ``_native.c``.
Result = tuple[int, int, int, str | None, str | None, str | None, bytes | None, bytes | None]

OK, OPEN_FAILED, FIRST_READ_FAILED, PROBE_FAILED, LATER_READ_FAILED = range(5)


def core() -> ModuleType:
    """The native module (only call when :data:`AVAILABLE`)."""
    assert _native is not None
    return _native


def describe() -> str:
    """For reports and ``--version``-style output: which hashing core ran."""
    if AVAILABLE:
        return "native"
    return "python (native core switched off)" if _native is not None else "python"


class Digests(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...
    def hexdigests(self) -> tuple[str, str, str]: ...


class _Hashlib:
    """MD5, SHA-1 and SHA-256 through hashlib (the Python core)."""

    def __init__(self) -> None:
        self._d = (hashlib.md5(), hashlib.sha1(), hashlib.sha256())  # noqa: S324 - evidence

    def update(self, data: bytes | memoryview, /) -> None:
        for d in self._d:
            d.update(data)

    def hexdigests(self) -> tuple[str, str, str]:
        md5, sha1, sha256 = (d.hexdigest() for d in self._d)
        return md5, sha1, sha256


def digests() -> Digests:
    """A fresh MD5 + SHA-1 + SHA-256 of one stream: native (one call per update, the GIL
    released for 4 KiB and more) where the core is built, else hashlib."""
    if AVAILABLE:
        return core().Digest3()  # type: ignore[no-any-return]
    return _Hashlib()


def hexdigests(data: bytes | memoryview) -> tuple[str, str, str]:
    """``(md5, sha1, sha256)`` of *data* in one call."""
    if AVAILABLE:
        return core().digest3(data)  # type: ignore[no-any-return]
    d = _Hashlib()
    d.update(data)
    return d.hexdigests()


def case_files(
    namespace: bytes, records: object, start: int, stop: int
) -> tuple[bytes, bytes] | None:
    """The CASE File nodes of ``records[start:stop]`` and the action's result list, in C
    (reportwrite.c; issue 16 item 5) — or ``None``: no native core, or a record of a shape the C
    code leaves to :func:`~.report._case_file_node`."""
    if not AVAILABLE or type(records) is not list:
        return None
    fast = getattr(core(), "case_files", None)
    if fast is None:  # a core built before this function existed
        return None
    return fast(namespace, records, start, stop)  # type: ignore[no-any-return]


def dfxml_files(records: object) -> bytes | None:
    """The DFXML ``<fileobject>`` elements of *records* (ids from 1), joined by newlines, in C
    (reportwrite.c; issue 16 item 5) — or ``None``: no native core, or a record of a shape the
    C code leaves to the loop of :func:`~.report.dfxml`."""
    if not AVAILABLE or type(records) is not list:
        return None
    fast = getattr(core(), "dfxml_files", None)
    if fast is None:  # a core built before this function existed
        return None
    return fast(records, 1)  # type: ignore[no-any-return]
