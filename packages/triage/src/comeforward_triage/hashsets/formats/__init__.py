"""Input formats of ``hashset compile``, keyed by NAME (docs/interfaces.md §6)."""

from __future__ import annotations

from comeforward_triage.errors import UnknownFormat

from .base import Parser, ParseStats
from .csvfmt import CsvParser
from .hashdeep import HashdeepParser
from .nsrl import NsrlRds3Parser
from .pdqtext import PdqTextParser
from .sums import SumParser
from .vics import VicsParser
from .vpdqtext import VpdqTextParser

FORMATS: dict[str, Parser] = {
    p.name: p
    for p in (
        VicsParser(),
        NsrlRds3Parser(),
        SumParser("md5sum", "md5"),
        SumParser("sha1sum", "sha1"),
        SumParser("sha256sum", "sha256"),
        HashdeepParser(),
        CsvParser(),
        PdqTextParser(),
        VpdqTextParser(),
    )
}


def get_format(name: str) -> Parser:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(
            f"Unknown hash-set format {name!r}.",
            details={"format": name, "available": sorted(FORMATS)},
        ) from None


__all__ = ["FORMATS", "ParseStats", "Parser", "get_format"]
