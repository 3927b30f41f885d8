"""The native walk-and-hash core, when it was built (ADR 0102, addendum 3).

``_native`` (C, ``_native.c``) does the per-file work of a directory tree — ``lstat``,
open/read/close, MD5 + SHA-1 + SHA-256 through OpenSSL, hex digests, the mtime string — without
the GIL and without a Python object per step. The engine uses it where it is importable and
falls back to the pure-Python path otherwise; both give the same records byte for byte
(``tests/test_native.py``). ``COMEFORWARD_TRIAGE_PURE=1`` forces the Python path (tests,
comparisons).
"""

from __future__ import annotations

import os
from types import ModuleType

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
