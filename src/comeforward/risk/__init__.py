"""Risk instruments for IIOC cases (pure Python; no Django).

CPORT, CASIC, OSP/DC and OSP/IIC (as HMPPS publishes them), RM2000/S (with the IIOC
modification as a flag) and Static-99R (with its applicability rule) — domain-rules.md §3.

    from comeforward.risk import score
    score("cport", {"age_35_or_younger": True, ...}).as_dict()  # == CLI JSON

Every output is advisory and must not decide eligibility on its own.
"""

from __future__ import annotations

from comeforward.risk.base import Instrument, Item, ItemResult, Result
from comeforward.risk.registry import INSTRUMENTS, catalogue, definition, get, names, score

__all__ = [
    "INSTRUMENTS",
    "Instrument",
    "Item",
    "ItemResult",
    "Result",
    "catalogue",
    "definition",
    "get",
    "names",
    "score",
]
