"""The notification period: SOA 2003 s.82 table, the s.82(2) under-18 halving rule.

Research: domain-rules.md §1.3. The period begins with the relevant date (s.82(6): the date
of the caution, or of conviction — not of sentence) and runs continuously; it is not paused
for custody ([M], §1.3 "Custody during the period").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from comeforward.law.dates import period_last_day
from comeforward.law.facts import (
    CAUTIONS,
    CUSTODIAL_TERM_KINDS,
    Disposal,
    DisposalType,
    Sentence,
    SentenceKind,
)
from comeforward.law.trace import Trace
from comeforward.law.welsh import SOA_CY, period_words


@dataclass(frozen=True)
class NotificationPeriod:
    """A s.82 period: indefinite, or a whole number of months (years × 12 + months)."""

    indefinite: bool
    total_months: int | None
    basis: str
    halved: bool = False

    @property
    def years(self) -> int | None:
        return None if self.total_months is None else self.total_months // 12

    @property
    def months(self) -> int | None:
        return None if self.total_months is None else self.total_months % 12

    def as_json(self) -> dict[str, Any]:
        return {
            "indefinite": self.indefinite,
            "years": self.years,
            "months": self.months,
            "basis": self.basis,
            "halved": self.halved,
        }


def period_text(period: NotificationPeriod | None) -> str:
    """The period in words, as every page and document shows it (issue 19.5: one owner):
    "Indefinite", "2 years", "1 year 6 months", "7 years"; "" when there is none."""
    if period is None:
        return ""
    if period.indefinite or period.total_months is None:
        return "Indefinite"
    years, months = divmod(period.total_months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts) or "0 months"


def custodial_term_months(
    sentence: Sentence, trace: Trace, *, for_sch3: bool = False
) -> Fraction | None:
    """The term of imprisonment a sentence counts as, in months, or None if not custodial.

    Suspended sentence: the stated term ([M], §1.3). DTO: only the detention and training part
    (half the order) — s.131 / YJLC, §1.3; for the Sch 3 "12 months" test this reading is [M]
    (open question 6, §7).
    """
    if sentence.kind not in CUSTODIAL_TERM_KINDS or sentence.months is None:
        return None
    months = Fraction(sentence.months)
    if sentence.kind is SentenceKind.SUSPENDED_IMPRISONMENT:
        if not trace.use("suspended_is_imprisonment"):
            return None
        return months
    if sentence.kind is SentenceKind.DTO:
        if for_sch3 and not trace.use("dto_counts_for_sch3_threshold"):
            return months
        fraction: Fraction = trace.use("dto_custodial_fraction")
        return months * fraction
    return months


def _years(trace: Trace, name: str, basis: str) -> NotificationPeriod:
    return NotificationPeriod(False, int(trace.use(name)) * 12, basis)


def base_period(disposal: Disposal, trace: Trace) -> NotificationPeriod:
    """The s.82(1) table row for a notifiable disposal (before the s.82(2) halving)."""
    if disposal.type in CAUTIONS:
        return _years(trace, "period_caution_years", "S82_CAUTIONED")
    if disposal.type is not DisposalType.CONVICTION or disposal.sentence is None:
        raise ValueError(f"no s.82 period for disposal {disposal.type}")
    sentence = disposal.sentence
    kind = sentence.kind
    if kind in (SentenceKind.LIFE, SentenceKind.IPP):
        return NotificationPeriod(True, None, "S82_LIFE_OR_IPP")
    if kind is SentenceKind.HOSPITAL_ORDER_RESTRICTED:
        return NotificationPeriod(True, None, "S82_HOSPITAL_RESTRICTION_ORDER")
    if kind is SentenceKind.HOSPITAL_ORDER:
        return _years(trace, "period_hospital_years", "S82_HOSPITAL_ORDER")
    if kind is SentenceKind.CONDITIONAL_DISCHARGE:
        assert sentence.months is not None
        return NotificationPeriod(False, int(sentence.months), "S82_CONDITIONAL_DISCHARGE")
    if kind is SentenceKind.ABSOLUTE_DISCHARGE:
        raise ValueError("an absolute discharge has no s.82 period")
    term = custodial_term_months(sentence, trace)
    if term is not None:
        if term >= trace.use("indefinite_min_custodial_months"):
            return NotificationPeriod(True, None, "S82_IMPRISONMENT_30_MONTHS_OR_MORE")
        if term > trace.use("short_custody_max_months"):
            return _years(trace, "period_over_6_months_years", "S82_IMPRISONMENT_OVER_6_MONTHS")
        return _years(trace, "period_6_months_or_less_years", "S82_IMPRISONMENT_6_MONTHS_OR_LESS")
    return _years(trace, "period_other_years", "S82_OTHER_DESCRIPTION")


def notification_period(disposal: Disposal, *, under_18: bool, trace: Trace) -> NotificationPeriod:
    """s.82(1) period, halved under s.82(2) when ``under_18`` on the relevant date.

    Indefinite and conditional-discharge periods are never halved (§1.3, YJLC).
    """
    period = base_period(disposal, trace)
    trace.reason(period.basis)
    if period.indefinite:
        trace.explain(
            "SOA 2003 s.82(1): the notification period is indefinite "
            f"({_BASIS_TEXT[period.basis]}).",
            welsh=f"{SOA_CY} adran 82(1): mae’r cyfnod hysbysu yn amhenodol.",
        )
        return period
    if period.basis == "S82_CONDITIONAL_DISCHARGE":
        trace.explain(
            "SOA 2003 s.82(1): the notification period is the period of the "
            f"conditional discharge ({_describe(period)}); s.82(2) does not halve it."
        )
        return period
    if under_18:
        trace.use("halving_wording")
        assert period.total_months is not None
        halved = NotificationPeriod(False, period.total_months // 2, period.basis, halved=True)
        trace.reason("S82_2_HALVED_UNDER_18")
        trace.explain(
            f"SOA 2003 s.82(1) gives {_describe(period)} "
            f"({_BASIS_TEXT[period.basis]}); s.82(2) halves it to {_describe(halved)} "
            "because the offender was under 18 on the relevant date.",
            welsh=f"Mae {SOA_CY} adran 82(1) yn rhoi {_describe_cy(period)}; mae adran 82(2) "
            f"yn ei haneru i {_describe_cy(halved)} am fod y troseddwr o dan 18 oed ar y "
            "dyddiad perthnasol.",
        )
        return halved
    trace.explain(
        f"SOA 2003 s.82(1): the notification period is {_describe(period)} "
        f"({_BASIS_TEXT[period.basis]}).",
        welsh=f"{SOA_CY} adran 82(1): y cyfnod hysbysu yw {_describe_cy(period)}.",
    )
    return period


def last_day_subject(relevant_date: date, period: NotificationPeriod, trace: Trace) -> date | None:
    """Last day subject to the requirements: the period *beginning with* the relevant date.

    domain-rules.md §1.3 ``period_end_inclusive``; None for an indefinite period.
    """
    if period.indefinite or period.total_months is None:
        return None
    convention = trace.ruleset.missing_corresponding_day.value
    end = period_last_day(relevant_date, months=period.total_months, missing=convention)
    if end.convention_used:
        trace.assume("missing_corresponding_day")
    trace.explain(
        f"SOA 2003 s.82(1): {_describe(period)} beginning with the relevant date "
        f"{relevant_date.isoformat()} ends on {end.value.isoformat()}.",
        welsh=f"{SOA_CY} adran 82(1): mae {_describe_cy(period)} sy’n dechrau gyda’r dyddiad "
        f"perthnasol {relevant_date.isoformat()} yn dod i ben ar {end.value.isoformat()}.",
    )
    return end.value


def _describe_cy(period: NotificationPeriod) -> str:
    return period_words(period.total_months, indefinite=period.indefinite)


def _describe(period: NotificationPeriod) -> str:
    parts = []
    if period.years:
        parts.append(f"{period.years} year{'s' if period.years != 1 else ''}")
    if period.months:
        parts.append(f"{period.months} month{'s' if period.months != 1 else ''}")
    return " ".join(parts) or "0 months"


_BASIS_TEXT = {
    "S82_CAUTIONED": "cautioned",
    "S82_LIFE_OR_IPP": "imprisonment for life or for public protection",
    "S82_HOSPITAL_RESTRICTION_ORDER": "admitted to hospital subject to a restriction order",
    "S82_HOSPITAL_ORDER": "admitted to hospital without a restriction order",
    "S82_CONDITIONAL_DISCHARGE": "conditional discharge",
    "S82_IMPRISONMENT_30_MONTHS_OR_MORE": "imprisonment for 30 months or more",
    "S82_IMPRISONMENT_OVER_6_MONTHS": "imprisonment for more than 6 but less than 30 months",
    "S82_IMPRISONMENT_6_MONTHS_OR_LESS": "imprisonment for 6 months or less",
    "S82_OTHER_DESCRIPTION": "any other description of relevant offender",
}
