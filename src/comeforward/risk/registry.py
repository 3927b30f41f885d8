"""The registry of risk instruments, keyed by NAME (docs/interfaces.md §4), and the Python API.

``score(name, items)`` returns a :class:`~comeforward.risk.base.Result` whose ``as_dict()``
is exactly what ``comeforward risk score NAME`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from comeforward.risk.base import Instrument, Result
from comeforward.risk.casic import Casic
from comeforward.risk.cport import Cport
from comeforward.risk.errors import UnknownInstrument
from comeforward.risk.osp import OspDc, OspIic
from comeforward.risk.rm2000s import Rm2000s
from comeforward.risk.static99r import Static99r

INSTRUMENTS: dict[str, type[Instrument]] = {
    cls.name: cls for cls in (Cport, Casic, OspDc, OspIic, Rm2000s, Static99r)
}


def names() -> list[str]:
    return list(INSTRUMENTS)


def get(name: str) -> Instrument:
    """A fresh instrument with its default (configured) rules."""
    try:
        return INSTRUMENTS[name]()
    except KeyError:
        raise UnknownInstrument(
            f"unknown instrument {name!r}",
            details={"instrument": name, "known": names()},
        )


def score(instrument_name: str, items: Mapping[str, Any]) -> Result:
    """Score ``items`` (a dict of item key → JSON value, null for unknown) with an instrument."""
    return get(instrument_name).score(items)


def definition(instrument_name: str) -> dict[str, Any]:
    return get(instrument_name).definition()


def catalogue() -> list[dict[str, Any]]:
    return [get(n).summary() for n in names()]
