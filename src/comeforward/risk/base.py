"""Shared types for the risk instruments: item definitions, validation, results.

Rules common to every instrument (domain-rules.md §3, "General cautions" [D]):

* Output is advisory. It shows the score, the band and the norm sample; it never decides
  eligibility.
* Missing knowledge is ``null``, never a guess (docs/interfaces.md §4). An instrument either has a
  published missing-item rule (CPORT: a missing item counts 0; OSP/DC: an unknown stranger
  victim scores 2) or, where it has none, the score and band are reported only when every
  possible value of the unknown items gives the same answer. In every case the result carries
  ``possible_scores`` and ``possible_bands``: the range over all values the unknown items
  could take.
* Rules the research tags [M] (unverified) live in each instrument's ``Rules`` configuration
  and add a warning that they await sign-off (``needs_signoff: true``).
"""

from __future__ import annotations

import itertools
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from comeforward.risk.errors import (
    NegativeValue,
    NotScorable,
    UnknownChoice,
    UnknownItem,
    ValueOutOfRange,
    WrongType,
)

ItemKind = Literal["bool", "int", "number", "choice"]
Value = bool | int | float | str | None

ADVISORY = (
    "Advisory only: an actuarial score estimates a group base rate; it must not decide "
    "eligibility on its own (domain-rules.md §3, general caution 1)."
)

_NO_DEFAULT = object()

#: No one is older than this: an age above it is an impossible input, refused with
#: ``VALUE_OUT_OF_RANGE`` (exit 2), never scored (issue 11.8).
MAX_AGE_YEARS = 120


def is_age(key: str) -> bool:
    return key == "age" or key.startswith("age_")


@dataclass(frozen=True)
class Item:
    """One input of an instrument, with the coding notes an assessor needs.

    ``candidates`` are values that between them reach every scoring outcome of the item; they
    are used to work out the range of possible scores when the item is unknown (null).
    ``required`` items cannot be unknown: a null makes the instrument not scorable.
    ``scored`` is False for inputs that decide applicability or modify other items but earn
    no points themselves.
    """

    key: str
    label: str
    kind: ItemKind
    coding_notes: str
    confidence: str = "S"
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    scored: bool = True
    default: Any = _NO_DEFAULT
    candidates: tuple[Value, ...] = ()

    def __post_init__(self) -> None:
        if self.maximum is None and is_age(self.key) and self.kind in ("int", "number"):
            object.__setattr__(self, "maximum", MAX_AGE_YEARS)

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT

    def possible_values(self) -> tuple[Value, ...]:
        if self.candidates:
            return self.candidates
        if self.kind == "bool":
            return (False, True)
        if self.kind == "choice":
            return self.choices
        raise AssertionError(
            f"item {self.key} needs candidates to be enumerated"
        )  # pragma: no cover

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "type": self.kind,
            "nullable": not self.required,
            "required": self.required,
            "scored": self.scored,
            "coding_notes": self.coding_notes,
            "confidence": self.confidence,
        }
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.choices:
            out["choices"] = list(self.choices)
        if self.has_default:
            out["default"] = self.default
        return out

    def validate(self, value: Any) -> Value:
        """Check one JSON value against the item's type and range; return it unchanged."""
        if value is None:
            return None
        details = {"item": self.key, "value": value, "expected": self.kind}
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise WrongType(f"{self.key} must be true, false or null", details=details)
            return value
        if self.kind == "choice":
            if not isinstance(value, str):
                raise WrongType(f"{self.key} must be a string or null", details=details)
            if value not in self.choices:
                raise UnknownChoice(
                    f"{self.key} must be one of {', '.join(self.choices)}",
                    details={**details, "choices": list(self.choices)},
                )
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise WrongType(f"{self.key} must be a number or null", details=details)
        if self.kind == "int" and not isinstance(value, int):
            raise WrongType(f"{self.key} must be a whole number or null", details=details)
        if isinstance(value, float) and not math.isfinite(value):
            raise WrongType(f"{self.key} must be a finite number", details=details)
        if value < 0:
            raise NegativeValue(f"{self.key} must not be negative", details=details)
        if self.minimum is not None and value < self.minimum:
            raise ValueOutOfRange(
                f"{self.key} must be at least {self.minimum}",
                details={**details, "minimum": self.minimum},
            )
        if self.maximum is not None and value > self.maximum:
            raise ValueOutOfRange(
                f"{self.key} must be at most {self.maximum}",
                details={**details, "maximum": self.maximum},
            )
        return value


@dataclass(frozen=True)
class ItemResult:
    key: str
    value: Value
    points: int | None
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "points": self.points,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Computation:
    """What an instrument computes for one set of item values."""

    score: int | None
    band: str | None
    probability: float | None
    points: dict[str, int | None]
    explanations: dict[str, str]
    details: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: warnings about [M] rules this particular computation relied on
    signoff: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """A scored instrument. ``as_dict()`` is exactly the CLI's JSON (docs/interfaces.md §4)."""

    instrument: str
    version: str
    score: int | None
    min_score: int | None
    max_score: int | None
    band: str | None
    probability: float | None
    items: tuple[ItemResult, ...]
    missing: tuple[str, ...]
    warnings: tuple[str, ...]
    citation: str
    possible_scores: tuple[int, int] | None
    possible_bands: tuple[str, ...]
    needs_signoff: bool
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "version": self.version,
            "score": self.score,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "band": self.band,
            "probability": self.probability,
            "items": [i.as_dict() for i in self.items],
            "missing": list(self.missing),
            "warnings": list(self.warnings),
            "citation": self.citation,
            "possible_scores": (
                None
                if self.possible_scores is None
                else {"low": self.possible_scores[0], "high": self.possible_scores[1]}
            ),
            "possible_bands": list(self.possible_bands),
            "needs_signoff": self.needs_signoff,
            "advisory": ADVISORY,
            "details": self.details,
        }


class Instrument(ABC):
    """Base class: validation, missing-item handling and result assembly.

    Subclasses define the items and :meth:`compute` (the scoring for one fully or partly
    known set of values), and may override :meth:`check` (consistency and applicability),
    :meth:`official` (the instrument's own missing-item rule) and :meth:`null_explanation`.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    version: ClassVar[str]
    citation: ClassVar[str]
    population: ClassVar[str]
    min_score: ClassVar[int | None]
    max_score: ClassVar[int | None]
    bands: ClassVar[tuple[str, ...]]
    items: ClassVar[tuple[Item, ...]]
    #: how many non-required items may be null; None = no limit (range reported instead)
    max_missing: int | None = None

    # -- definitions -----------------------------------------------------------------------
    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def definition(self) -> dict[str, Any]:
        """Item definitions and metadata as JSON (``comeforward risk items NAME``)."""
        return {
            "instrument": self.name,
            "title": self.title,
            "version": self.version,
            "population": self.population,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "bands": list(self.bands),
            "max_missing": self.max_missing,
            "citation": self.citation,
            "items": [it.as_dict() for it in self.items],
        }

    def summary(self) -> dict[str, Any]:
        return {
            "instrument": self.name,
            "title": self.title,
            "version": self.version,
            "population": self.population,
        }

    # -- hooks -----------------------------------------------------------------------------
    def signoff_warnings(self) -> tuple[str, ...]:
        """Warnings for [M] rules in use (configuration awaiting sign-off)."""
        return ()

    def general_warnings(self) -> tuple[str, ...]:
        return ()

    def check(self, values: Mapping[str, Value]) -> None:
        """Raise InconsistentItems / NotApplicable / NotScorable before scoring."""
        return None

    def missing_keys(self, values: Mapping[str, Value]) -> list[str]:
        """Scored items whose value is unknown (null)."""
        return [it.key for it in self.items if it.scored and values[it.key] is None]

    @abstractmethod
    def compute(self, values: Mapping[str, Value]) -> Computation:
        """Score one set of values. Values of unknown items may be None only where
        :meth:`official` relies on the instrument's own missing-item rule."""

    def official(
        self, values: Mapping[str, Value], outcomes: list[Computation]
    ) -> Computation | None:
        """The instrument's own answer when items are unknown, or None if it has no rule.

        Default: no rule, so the answer is given only where all possibilities agree.
        """
        return None

    def null_explanation(self, key: str, low: int | None, high: int | None) -> str:
        if low is None or high is None:
            return "Not known (null): not scored."
        if low == high:
            return f"Not known (null): would score {low} whatever its value."
        return f"Not known (null): could score between {low} and {high} points."

    # -- scoring ---------------------------------------------------------------------------
    def validate(self, raw: Mapping[str, Any]) -> tuple[dict[str, Value], list[str]]:
        if not isinstance(raw, Mapping):
            raise WrongType("items must be a JSON object", details={"expected": "object"})
        known = {it.key for it in self.items}
        unknown = sorted(k for k in raw if k not in known)
        if unknown:
            raise UnknownItem(
                f"unknown item key(s) for {self.name}: {', '.join(unknown)}",
                details={"instrument": self.name, "unknown": unknown, "known": sorted(known)},
            )
        values: dict[str, Value] = {}
        notes: list[str] = []
        for it in self.items:
            if it.key in raw:
                values[it.key] = it.validate(raw[it.key])
            elif it.has_default:
                values[it.key] = it.default
                notes.append(f"{it.key} not supplied: default {json_value(it.default)} used.")
            else:
                values[it.key] = None
                notes.append(f"{it.key} not supplied: treated as unknown (null).")
        return values, notes

    def score(self, raw: Mapping[str, Any]) -> Result:
        values, notes = self.validate(raw)
        required_missing = [it.key for it in self.items if it.required and values[it.key] is None]
        if required_missing:
            raise NotScorable(
                f"{self.title} cannot be scored without: {', '.join(required_missing)}",
                details={"instrument": self.name, "missing": required_missing, "required": True},
            )
        self.check(values)
        missing = self.missing_keys(values)
        if self.max_missing is not None and len(missing) > self.max_missing:
            raise NotScorable(
                f"{self.title} allows at most {self.max_missing} unknown item(s); "
                f"{len(missing)} are unknown",
                details={
                    "instrument": self.name,
                    "missing": missing,
                    "max_missing": self.max_missing,
                },
            )
        outcomes = self._enumerate(values, missing)
        own = self.official(values, outcomes) if missing else None
        chosen = own if own is not None else outcomes[0]
        agree_score = _single({o.score for o in outcomes})
        agree_band = _single({o.band for o in outcomes})
        agree_prob = _single({o.probability for o in outcomes})
        if own is not None:
            score, band, probability = own.score, own.band, own.probability
        else:
            score, band, probability = agree_score, agree_band, agree_prob

        scores = [o.score for o in outcomes if o.score is not None]
        if own is not None and own.score is not None:
            scores.append(own.score)
        possible = (min(scores), max(scores)) if scores else None
        bands = {o.band for o in outcomes if o.band is not None}
        if own is not None and own.band is not None:
            bands.add(own.band)
        possible_bands = tuple(b for b in self._band_order() if b in bands)

        item_results = []
        for it in self.items:
            if it.key in missing and own is None:
                pts = {o.points.get(it.key) for o in outcomes}
                numeric = [p for p in pts if p is not None]
                lo = min(numeric) if numeric else None
                hi = max(numeric) if numeric else None
                item_results.append(
                    ItemResult(it.key, None, None, self.null_explanation(it.key, lo, hi))
                )
            elif own is None and len({o.points.get(it.key) for o in outcomes}) > 1:
                item_results.append(
                    ItemResult(
                        it.key,
                        values[it.key],
                        None,
                        "Its points depend on an unknown item "
                        f"({', '.join(missing)}), so none are shown.",
                    )
                )
            else:
                item_results.append(
                    ItemResult(
                        it.key,
                        values[it.key],
                        chosen.points.get(it.key),
                        chosen.explanations.get(it.key, ""),
                    )
                )

        warnings: list[str] = []
        signoff = [*self.signoff_warnings(), *chosen.signoff]
        warnings.extend(signoff)
        warnings.extend(self.general_warnings())
        warnings.extend(chosen.warnings)
        if missing and own is None and score is None:
            warnings.append(
                f"Unknown item(s) {', '.join(missing)}: the score could be anything from "
                f"{possible[0] if possible else '?'} to {possible[1] if possible else '?'}; "
                "no score is reported because the instrument has no published missing-item rule."
            )
        elif missing and own is None and band is None and possible_bands:
            warnings.append(
                f"Unknown item(s) {', '.join(missing)}: the band could be any of "
                f"{', '.join(possible_bands)}; no band is reported."
            )
        warnings.extend(notes)
        return Result(
            instrument=self.name,
            version=self.version,
            score=score,
            min_score=self.min_score,
            max_score=self.max_score,
            band=band,
            probability=probability,
            items=tuple(item_results),
            missing=tuple(missing),
            warnings=tuple(dict.fromkeys(warnings)),
            citation=self.citation,
            possible_scores=possible,
            possible_bands=possible_bands,
            needs_signoff=bool(signoff),
            details=_agreed_details(chosen, outcomes if own is None else [chosen]),
        )

    def _band_order(self) -> tuple[str, ...]:
        return self.bands

    def _enumerate(self, values: Mapping[str, Value], missing: list[str]) -> list[Computation]:
        if not missing:
            return [self.compute(values)]
        options = [self.item(k).possible_values() for k in missing]
        outcomes = []
        for combo in itertools.product(*options):
            filled = dict(values)
            filled.update(zip(missing, combo, strict=True))
            outcomes.append(self.compute(filled))
        return outcomes


def _agreed_details(chosen: Computation, outcomes: list[Computation]) -> dict[str, Any]:
    """Details every possibility agrees on (all of them when nothing is unknown)."""
    return {k: v for k, v in chosen.details.items() if all(o.details.get(k) == v for o in outcomes)}


def _single(values: set[Any]) -> Any:
    return next(iter(values)) if len(values) == 1 else None


def json_value(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def yes_no(value: Value) -> str:
    return "yes" if value else "no"


def pts(n: int | None) -> str:
    if n is None:
        return "not scored"
    return f"{n} point" if n in (1, -1) else f"{n} points"
