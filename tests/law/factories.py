"""Builders for law test inputs (generated facts only; no real case data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from comeforward.law import Disposal, DisposalType, Facts, Offence, Sentence, SentenceKind


def make_facts(
    *,
    offence: Offence = Offence.CJA1988_S160,
    offence_date: date = date(2025, 1, 10),
    offender_dob: date = date(1980, 5, 1),
    youngest_depicted_age: int | None = 12,
    disposal_type: DisposalType = DisposalType.SIMPLE_CAUTION,
    disposal_date: date = date(2025, 3, 12),
    sentence: tuple[SentenceKind, float | None] | None = None,
    **extra: Any,
) -> Facts:
    return Facts(
        offence=offence,
        offence_date=offence_date,
        offender_dob=offender_dob,
        youngest_depicted_age=youngest_depicted_age,
        disposal=Disposal(
            disposal_type,
            disposal_date,
            Sentence(*sentence) if sentence is not None else None,
        ),
        **extra,
    )


def conviction(kind: SentenceKind, months: float | None = None, **kwargs: Any) -> Facts:
    return make_facts(disposal_type=DisposalType.CONVICTION, sentence=(kind, months), **kwargs)


def evaluate_json(**kwargs: Any) -> dict[str, Any]:
    """The §1 input document with defaults, overridden by kwargs."""
    doc: dict[str, Any] = {
        "jurisdiction": "england-wales",
        "offence": "CJA1988_S160",
        "offence_date": "2025-01-10",
        "offender_dob": "1980-05-01",
        "youngest_depicted_age": 12,
        "disposal": {"type": "simple_caution", "date": "2025-03-12", "sentence": None},
    }
    doc.update(kwargs)
    return doc
