"""Welsh renderings of the law engine's words for the documents given to the person (issue
20.9, docs/welsh.md): the notification period ("2 flynedd") and the explanations behind each
date. **Draft translations awaiting review by a qualified Welsh translator**: every string
here is listed in docs/welsh.md ("Not verified"), and the documents that use them say so.

The English text stays the law's own record (audit, API, pages); Welsh is a rendering of the
same values, never a different rule. An explanation the engine has no Welsh for is shown in
English and marked ``lang="en"`` (``Trace.explanations_in``), never guessed.
"""

from __future__ import annotations

import re

#: The Act, cited in Welsh ("adran" for *section*).
SOA_CY = "Deddf Troseddau Rhywiol 2003"

#: "blwyddyn" after a numeral: soft mutation after 1 and 2 (un flwyddyn, dwy flynedd),
#: nasal mutation after 5, 7, 8, 9, 10 and their compounds ending so (pum mlynedd, saith
#: mlynedd, deng mlynedd), the radical form after 3, 4 and 6 (tair blynedd, chwe blynedd).
#: Figures are written as digits with the mutation a reader says (as Welsh public bodies
#: write "2 flynedd", "5 mlynedd"). Draft: needs review.
_YEARS_MUTATION = {1: "flwyddyn", 2: "flynedd", 3: "blynedd", 4: "blynedd", 6: "blynedd"}


def _years(n: int) -> str:
    if n in _YEARS_MUTATION:
        return f"{n} {_YEARS_MUTATION[n]}"
    return f"{n} mlynedd" if n % 10 in (0, 5, 7, 8, 9) or n in (15, 20) else f"{n} blynedd"


def _months(n: int) -> str:
    return f"{n} mis"  # "mis" does not change after a numeral (1 mis, 6 mis)


def period_words(total_months: int | None, *, indefinite: bool = False) -> str:
    """A period in Welsh: "Amhenodol", "2 flynedd", "1 flwyddyn 6 mis"."""
    if indefinite or total_months is None:
        return "Amhenodol"
    years, months = divmod(total_months, 12)
    parts = [_years(years)] if years else []
    if months:
        parts.append(_months(months))
    return " ".join(parts) or "0 mis"


_ENGLISH_PERIOD = re.compile(r"^(?:(\d+) years?)?\s*(?:(\d+) months?)?$")
_PREFIXES = {"To be determined; if notifiable: ": "I’w benderfynu; os yw’n hysbysadwy: "}
_WHOLE = {
    "Indefinite": "Amhenodol",
    "Not subject to the notification requirements": "Nid yw’n ddarostyngedig i’r gofynion hysbysu",
    "": "",
}


def period_text_welsh(english: str) -> str | None:
    """The Welsh for a period text the engine wrote in English (``law.period_text``, stored on
    the register record), or ``None`` when it is not one the engine writes (the caller then
    shows the English, marked as English: never a guess)."""
    prefix = ""
    for en, cy in _PREFIXES.items():
        if english.startswith(en):
            english, prefix = english.removeprefix(en), cy
    if english in _WHOLE:
        return prefix + _WHOLE[english]
    match = _ENGLISH_PERIOD.match(english.strip())
    if not match or not any(match.groups()):
        return None
    years, months = (int(g) if g else 0 for g in match.groups())
    return prefix + period_words(years * 12 + months)
