"""Typed identifiers for people: normalisation and format checks.

- PNC number: year (2 or 4 digits), a slash, a serial of up to 7 digits and a check letter,
  e.g. ``2001/0012345X`` (Police National Computer "PNC ID" format, College of Policing APP
  on information management) [M: check digit not verified here].
- National Insurance number: two prefix letters, six digits and a suffix A–D (HMRC National
  Insurance Manual NIM39110: D, F, I, Q, U and V are never used as either prefix letter, O is
  not used as the second, and BG, GB, NK, KN, TN, NT and ZZ are not allocated).
- Passport: 6–9 letters or digits (the document number as printed; countries differ).
"""

from __future__ import annotations

import re

from comeforward.errors import DomainError

KINDS = {"pnc": "PNC number", "ni": "National Insurance number", "passport": "Passport"}

_PNC = re.compile(r"^(\d{2}|\d{4})/\d{1,7}[A-Z]$")
_NI = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
_NI_NOT_ALLOCATED = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")


class InvalidIdentifier(DomainError):
    code = "INVALID_IDENTIFIER"


def normalise_identifier(kind: str, value: str) -> str:
    """Upper case, spaces removed; raise ``InvalidIdentifier`` if the format is wrong."""
    if kind not in KINDS:
        raise InvalidIdentifier(f"Unknown identifier type {kind!r}", details={"kind": kind})
    text = re.sub(r"\s+", "", value or "").upper()
    valid = {
        "pnc": lambda t: bool(_PNC.match(t)),
        "ni": lambda t: bool(_NI.match(t)) and t[:2] not in _NI_NOT_ALLOCATED,
        "passport": lambda t: bool(_PASSPORT.match(t)),
    }[kind](text)
    if not valid:
        raise InvalidIdentifier(
            f"That is not a valid {KINDS[kind]}", details={"kind": kind, "value": text}
        )
    return text
