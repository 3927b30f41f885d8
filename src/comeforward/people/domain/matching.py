"""Duplicate detection for people records: name normalisation, Soundex, trigram similarity
and a scored match between two name + date-of-birth records.

Why: duplicate nominal records are one of the two biggest complaints about police case
systems (users-and-security.md key finding 7 and the comparison table: "Duplicate candidate
matching on create and merge workflow with audit"). The rules here are deliberately simple,
explainable and pure, so that they can be tested exhaustively; national-scale linkage (Splink)
is for bulk intelligence leads (ARCHITECTURE.md §6), not for one record typed at intake.

- ``normalise_name``: Unicode folded to ASCII, lower case, apostrophes dropped (O'Brien →
  obrien), hyphens and other punctuation become spaces, whitespace collapsed.
- ``soundex``: American Soundex (US National Archives, "The Soundex Indexing System", 2007
  revision: H and W do not separate letters with the same code).
- ``trigram_similarity``: the measure PostgreSQL's ``pg_trgm`` uses (each word padded with two
  spaces before and one after; |A ∩ B| / |A ∪ B|), so that the database index and this
  function agree about what "similar" means.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

_APOSTROPHES = re.compile(r"['’`‘]")
_NON_LETTERS = re.compile(r"[^a-z0-9]+")

_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def normalise_name(text: str) -> str:
    """``"  Zoë  O'Brien-Smith "`` → ``"zoe obrien smith"``."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    folded = _APOSTROPHES.sub("", folded.lower())
    return " ".join(_NON_LETTERS.sub(" ", folded).split())


def search_name_for(given_names: str, family_name: str) -> str:
    """``" alex example "``: normalised words with a space either side, as stored in
    ``Person.search_name`` (the source of ``PersonNameWord``)."""
    words = normalise_name(f"{given_names} {family_name}")
    return f" {words} " if words else ""


def soundex(text: str) -> str:
    """American Soundex of the first word-run of letters (``""`` when there are none).

    >>> soundex("Robert"), soundex("Rupert"), soundex("Ashcraft"), soundex("Tymczak")
    ('R163', 'R163', 'A261', 'T522')
    """
    letters = "".join(ch for ch in normalise_name(text) if "a" <= ch <= "z")
    if not letters:
        return ""
    first = letters[0]
    digits: list[str] = []
    previous = _SOUNDEX_CODES.get(first, "")
    for ch in letters[1:]:
        code = _SOUNDEX_CODES.get(ch, "")
        if ch in "hw":
            continue  # H and W do not separate letters with the same code
        if code and code != previous:
            digits.append(code)
        previous = code  # a vowel resets, so the same code after a vowel counts again
        if len(digits) == 3:
            break
    return (first.upper() + "".join(digits) + "000")[:4]


def trigrams(text: str) -> frozenset[str]:
    """The trigrams ``pg_trgm`` extracts: per word, ``"  word "`` cut into threes."""
    grams: set[str] = set()
    for word in normalise_name(text).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class NameRecord:
    """What is compared: a person's (or an alias's) names and date of birth."""

    given_names: str
    family_name: str
    date_of_birth: dt.date | None = None


class MatchStrength(StrEnum):
    EXACT = "exact"  # same normalised names and same date of birth
    LIKELY = "likely"  # same date of birth and similar names
    POSSIBLE = "possible"  # similar names, one date of birth missing or transposed


@dataclass(frozen=True)
class Match:
    strength: MatchStrength
    score: float
    reasons: tuple[str, ...]


#: Family names at least this similar (pg_trgm measure) count as "similar spelling".
FAMILY_SIMILARITY = 0.5


def _given_agreement(a: str, b: str) -> str | None:
    """How the given names agree: ``"same"``, ``"initial"``, ``"sound"`` or None."""
    wa, wb = normalise_name(a).split(), normalise_name(b).split()
    if not wa or not wb:
        return "initial" if not wa and not wb else None
    if wa[0] == wb[0]:
        return "same"
    if (len(wa[0]) == 1 or len(wb[0]) == 1) and wa[0][0] == wb[0][0]:
        return "initial"
    if soundex(wa[0]) == soundex(wb[0]) or trigram_similarity(wa[0], wb[0]) >= 0.5:
        return "sound"
    return None


def _family_agreement(a: str, b: str) -> str | None:
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return None
    if na == nb or na.replace(" ", "") == nb.replace(" ", ""):
        return "same"
    if soundex(na) == soundex(nb):
        return "sound"
    if trigram_similarity(na, nb) >= FAMILY_SIMILARITY:
        return "spelling"
    return None


def _dates_transposed(a: dt.date, b: dt.date) -> bool:
    return a.year == b.year and a.day == b.month and a.month == b.day and a != b


def match(a: NameRecord, b: NameRecord) -> Match | None:
    """Score ``b`` as a possible duplicate of ``a`` (None when it is not one).

    The family name must agree (same, same sound, or similar spelling) and the given name
    must agree (same first name, initial, or same sound). Then the date of birth decides the
    strength: equal → exact (names the same) or likely; missing on either side, or day and
    month transposed → possible; different → not a match.
    """
    family = _family_agreement(a.family_name, b.family_name)
    given = _given_agreement(a.given_names, b.given_names)
    if family is None or given is None:
        return None
    reasons = [f"family name: {family}", f"given name: {given}"]
    name_score = {"same": 1.0, "sound": 0.8, "spelling": 0.7}[family] * 0.5 + {
        "same": 1.0,
        "initial": 0.7,
        "sound": 0.8,
    }[given] * 0.3
    if a.date_of_birth is not None and b.date_of_birth is not None:
        if a.date_of_birth == b.date_of_birth:
            reasons.append("date of birth: same")
            exact = family == "same" and given == "same"
            strength = MatchStrength.EXACT if exact else MatchStrength.LIKELY
            return Match(strength, round(name_score + 0.2, 3), tuple(reasons))
        if _dates_transposed(a.date_of_birth, b.date_of_birth):
            reasons.append("date of birth: day and month transposed")
            return Match(MatchStrength.POSSIBLE, round(name_score + 0.1, 3), tuple(reasons))
        return None
    reasons.append("date of birth: not known on one record")
    if family == "same" and given == "same":
        return Match(MatchStrength.POSSIBLE, round(name_score, 3), tuple(reasons))
    return None


def rank_matches(
    target: NameRecord, candidates: list[tuple[object, NameRecord]]
) -> list[tuple[object, Match]]:
    """Each candidate key with its best match against ``target``, strongest first.

    ``candidates`` may hold several records for one key (a person and their aliases); the
    key's best match is kept.
    """
    best: dict[object, Match] = {}
    for key, record in candidates:
        found = match(target, record)
        if found is not None and (key not in best or found.score > best[key].score):
            best[key] = found
    order = {MatchStrength.EXACT: 0, MatchStrength.LIKELY: 1, MatchStrength.POSSIBLE: 2}
    return sorted(best.items(), key=lambda kv: (order[kv[1].strength], -kv[1].score, str(kv[0])))
