"""The 3×5×2 intelligence grading (APP Intelligence management; users-and-security §2.4 #8).

Source evaluation 1–3, intelligence assessment A–E, handling code P/C. Written ``1AP``,
``1/A/P`` or ``1-A-P``; stored as the three parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from comeforward.errors import DomainError

SOURCE_EVALUATION = {
    "1": "Reliable",
    "2": "Untested",
    "3": "Not reliable",
}
INTELLIGENCE_ASSESSMENT = {
    "A": "Known directly",
    "B": "Known indirectly, corroborated",
    "C": "Known indirectly",
    "D": "Not known",
    "E": "Suspected to be false",
}
HANDLING_CODE = {
    "P": "Lawful sharing permitted",
    "C": "Lawful sharing permitted with conditions",
}

_PATTERN = re.compile(r"^\s*([123])\s*[-/ ]?\s*([A-Ea-e])\s*[-/ ]?\s*([PCpc])\s*$")


class InvalidGrading(DomainError):
    code = "INVALID_GRADING"


@dataclass(frozen=True)
class Grading:
    source: str
    intelligence: str
    handling: str

    def __str__(self) -> str:
        return f"{self.source}{self.intelligence}{self.handling}"

    def describe(self) -> str:
        return (
            f"{self.source} ({SOURCE_EVALUATION[self.source]}), "
            f"{self.intelligence} ({INTELLIGENCE_ASSESSMENT[self.intelligence]}), "
            f"{self.handling} ({HANDLING_CODE[self.handling]})"
        )


def parse_grading(text: str) -> Grading:
    match = _PATTERN.match(text or "")
    if not match:
        raise InvalidGrading(
            "The grading must be 3×5×2: source 1–3, intelligence A–E, handling P or C "
            "(for example 2CP)",
            details={"grading": text},
        )
    source, intelligence, handling = match.groups()
    return Grading(source, intelligence.upper(), handling.upper())
