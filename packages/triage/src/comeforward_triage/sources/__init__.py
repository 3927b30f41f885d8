"""Evidence sources, registered by ``NAME`` (docs/code-habits.md "Triage engine").

``open_source(path)`` picks the source by what the path *is*: a directory, or a file whose
first bytes carry the EWF signature (``EVF\\x09\\x0d\\x0a\\xff\\x00``, libewf documentation
"Expert Witness Compression Format", §2.1) — anything else is tried as a raw image.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import SourceNotFound, UnsupportedSource
from .base import EvidenceFile, Source, VolumeInfo
from .directory import DirectorySource

EWF_SIGNATURE = b"EVF\x09\x0d\x0a\xff\x00"
LEF_SIGNATURE = b"LVF\x09\x0d\x0a\xff\x00"


def _image_sources() -> dict[str, type[Source]]:
    """The disk-image sources, imported on first use: a directory run does not load The Sleuth
    Kit and libewf bindings (a few tens of ms of every run's start)."""
    from .tsk import E01Source, RawImageSource

    return {cls.NAME: cls for cls in (RawImageSource, E01Source)}


def __getattr__(name: str) -> Any:
    if name == "SOURCES":  # every source, by NAME
        return {DirectorySource.NAME: DirectorySource, **_image_sources()}
    raise AttributeError(name)


def detect_kind(path: str) -> str:
    """Return the registry NAME for *path* from what it contains, never from its name."""
    if os.path.isdir(path):
        return "directory"
    if not os.path.exists(path):
        raise SourceNotFound(f"no such source: {path}", details={"path": path})
    if not os.path.isfile(path):
        raise UnsupportedSource(
            "source is neither a directory nor an image file", details={"path": path}
        )
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == EWF_SIGNATURE:
        return "e01"
    if head == LEF_SIGNATURE:
        raise UnsupportedSource(
            "logical evidence files (L01) are not supported", details={"path": path}
        )
    return "raw"


def open_source(path: str, kind: str | None = None) -> Source:
    kind = kind or detect_kind(path)
    sources: dict[str, type[Source]] = (
        {DirectorySource.NAME: DirectorySource}
        if kind == DirectorySource.NAME
        else {DirectorySource.NAME: DirectorySource, **_image_sources()}
    )
    try:
        cls = sources[kind]
    except KeyError:
        raise UnsupportedSource(
            f"unknown source kind {kind!r}", details={"known": sorted(sources)}
        ) from None
    return cls(path=os.path.abspath(path))


__all__ = ["SOURCES", "EvidenceFile", "Source", "VolumeInfo", "detect_kind", "open_source"]
