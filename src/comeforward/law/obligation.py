"""``evaluate(facts) -> Obligation``: is the person notifiable, for how long, and from when.

Combines s.80 + Sch 3 (:mod:`notifiability`), the s.82 period (:mod:`periods`), the s.83
initial deadline and the s.91B review date (:mod:`deadlines`) and the outcome code
(:mod:`outcomes`). Output contract: docs/interfaces.md §3. Research: domain-rules.md §0, §1.2-§1.4,
§1.10, §2.1, §2.6.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from comeforward.law.dates import age_on
from comeforward.law.deadlines import initial_notification_due, review_qualifying_date
from comeforward.law.errors import InconsistentFacts, InvalidValue, MissingField, NegativeValue
from comeforward.law.facts import (
    CAUTIONS,
    MONTHS_REQUIRED,
    DisposalType,
    Facts,
    Offence,
    SentenceKind,
)
from comeforward.law.notifiability import assess
from comeforward.law.outcomes import OutcomeConsequences, consequences
from comeforward.law.periods import NotificationPeriod, last_day_subject, notification_period
from comeforward.law.ruleset import RULESET, RuleSet
from comeforward.law.trace import Trace
from comeforward.law.welsh import SOA_CY


@dataclass(frozen=True)
class Consequences:
    """What follows if the person is notifiable (the obligation itself)."""

    relevant_date: date
    period: NotificationPeriod
    last_day: date | None
    initial_notification_due: date
    review_eligible_from: date | None
    review_basis: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "relevant_date": self.relevant_date.isoformat(),
            "period": self.period.as_json(),
            "last_day": _iso(self.last_day),
            "initial_notification_due": self.initial_notification_due.isoformat(),
            "review_eligible_from": _iso(self.review_eligible_from),
            "review_basis": self.review_basis,
        }


@dataclass(frozen=True)
class Obligation:
    notifiable: bool | None
    missing: tuple[str, ...]
    outcome: OutcomeConsequences
    consequences: Consequences | None
    under_18_on_relevant_date: bool
    trace: Trace = field(repr=False)

    @property
    def relevant_date(self) -> date | None:
        return self.consequences.relevant_date if self.notifiable and self.consequences else None

    @property
    def period(self) -> NotificationPeriod | None:
        return self.consequences.period if self.notifiable and self.consequences else None

    @property
    def last_day(self) -> date | None:
        return self.consequences.last_day if self.notifiable and self.consequences else None

    @property
    def initial_notification_due(self) -> date | None:
        if self.notifiable and self.consequences:
            return self.consequences.initial_notification_due
        return None

    @property
    def review_eligible_from(self) -> date | None:
        if self.notifiable and self.consequences:
            return self.consequences.review_eligible_from
        return None

    def as_json(self) -> dict[str, Any]:
        period = self.period
        data: dict[str, Any] = {
            "notifiable": self.notifiable,
            "reasons": list(self.trace.reasons),
            "missing": list(self.missing),
            "relevant_date": _iso(self.relevant_date),
            "period": period.as_json() if period else None,
            "last_day": _iso(self.last_day),
            "initial_notification_due": _iso(self.initial_notification_due),
            "review_eligible_from": _iso(self.review_eligible_from),
            "review_basis": self.consequences.review_basis
            if self.notifiable and self.consequences
            else None,
            "under_18_on_relevant_date": self.under_18_on_relevant_date,
            "outcome": self.outcome.as_json(),
            "explanations": list(self.trace.explanations),
            "assumptions": self.trace.assumptions_json(),
            "warnings": list(self.trace.warnings),
            "ruleset": self.trace.ruleset_json(),
        }
        if self.notifiable is None and self.consequences is not None:
            data["if_notifiable"] = self.consequences.as_json()
        return data


def validate(facts: Facts, ruleset: RuleSet = RULESET) -> None:
    """Facts that contradict each other are refused (code INCONSISTENT_FACTS)."""
    d = facts.disposal
    if facts.offender_dob > facts.offence_date:
        raise InconsistentFacts(
            "The offender's date of birth is after the offence date.",
            details={
                "offender_dob": facts.offender_dob.isoformat(),
                "offence_date": facts.offence_date.isoformat(),
            },
        )
    if d.date < facts.offence_date:
        raise InconsistentFacts(
            "The disposal is dated before the offence.",
            details={
                "disposal.date": d.date.isoformat(),
                "offence_date": facts.offence_date.isoformat(),
            },
        )
    if facts.offence is Offence.CJA2009_S62:
        commencement = ruleset.prohibited_images_commencement.value
        if facts.offence_date < commencement:
            raise InconsistentFacts(
                "Possession of a prohibited image of a child (CJA 2009 s.62) is an offence "
                f"only from {commencement.isoformat()}.",
                details={
                    "offence": facts.offence.value,
                    "offence_date": facts.offence_date.isoformat(),
                    "commencement": commencement.isoformat(),
                },
            )
    if facts.youngest_depicted_age is not None and facts.youngest_depicted_age < 0:
        raise NegativeValue(
            "youngest_depicted_age cannot be negative.", details={"field": "youngest_depicted_age"}
        )
    if d.type is DisposalType.CONVICTION:
        if d.sentence is None:
            raise MissingField(
                "A conviction needs disposal.sentence.", details={"field": "disposal.sentence"}
            )
        s = d.sentence
        if s.kind in MONTHS_REQUIRED and s.months is None:
            raise MissingField(
                f"A {s.kind.value} sentence needs months.",
                details={"field": "disposal.sentence.months"},
            )
        if s.months is not None and s.months < 0:
            raise NegativeValue(
                "months cannot be negative.", details={"field": "disposal.sentence.months"}
            )
        if s.kind in MONTHS_REQUIRED and s.months == 0:
            raise InvalidValue(
                f"A {s.kind.value} sentence needs a term of more than 0 months.",
                details={"field": "disposal.sentence.months"},
            )
        if (
            s.kind is SentenceKind.CONDITIONAL_DISCHARGE
            and s.months is not None
            and s.months != int(s.months)
        ):
            raise InvalidValue(
                "A conditional discharge period must be whole months.",
                details={"field": "disposal.sentence.months"},
            )
    elif d.sentence is not None:
        raise InconsistentFacts(
            f"A {d.type.value} has no sentence; disposal.sentence must be null.",
            details={"field": "disposal.sentence"},
        )
    if facts.relevant_notification_date is not None and facts.relevant_notification_date < d.date:
        raise InconsistentFacts(
            "The relevant notification is dated before the disposal.",
            details={"field": "relevant_notification_date"},
        )


def evaluate(facts: Facts, ruleset: RuleSet = RULESET) -> Obligation:
    """The notification obligation that follows from the facts (docs/interfaces.md §3)."""
    validate(facts, ruleset)
    trace = Trace(ruleset)
    outcome = consequences(facts.disposal.type)
    result = assess(facts, trace)
    age = age_on(
        facts.offender_dob, facts.disposal.date, leap_birthday=ruleset.leap_day_birthday.value
    )
    under_18 = age.years < trace.ruleset.halving_age.value
    _disposal_warnings(facts, age.years, trace)
    if result.notifiable is False:
        return Obligation(False, (), outcome, None, under_18, trace)
    if age.convention_used:
        trace.assume("leap_day_birthday")
    relevant = facts.disposal.date
    trace.explain(
        f"SOA 2003 s.82(6): the relevant date is the date of the "
        f"{'caution' if facts.disposal.type in CAUTIONS else 'conviction'}, "
        f"{relevant.isoformat()}.",
        welsh=f"{SOA_CY} adran 82(6): y dyddiad perthnasol yw dyddiad "
        f"{'y rhybudd' if facts.disposal.type in CAUTIONS else 'yr euogfarn'}, "
        f"{relevant.isoformat()}.",
    )
    period = notification_period(facts.disposal, under_18=under_18, trace=trace)
    last_day = last_day_subject(relevant, period, trace)
    initial_due = initial_notification_due(relevant, (), trace)
    review, basis = _review(facts, period, under_18, trace)
    if result.notifiable is None:
        trace.explain(
            "Notifiability cannot be decided: the youngest depicted age is needed; "
            "if_notifiable gives the consequences should the images show a person "
            "under 16."
        )
    outcome_obligation = Consequences(relevant, period, last_day, initial_due, review, basis)
    return Obligation(
        result.notifiable, result.missing, outcome, outcome_obligation, under_18, trace
    )


def _review(
    facts: Facts, period: NotificationPeriod, under_18: bool, trace: Trace
) -> tuple[date | None, str | None]:
    if not period.indefinite:
        return None, None
    if facts.subject_to_sexual_harm_order:
        trace.reason("S91A_2_NOT_ELIGIBLE_SHPO")
        trace.explain(
            "SOA 2003 s.91A(2): a person subject to a sexual harm prevention order "
            "(or SOPO, or an interim order) cannot seek a review."
        )
        return None, "S91A_2_NOT_ELIGIBLE_SHPO"
    if facts.relevant_notification_date is not None:
        base, basis = facts.relevant_notification_date, "S91B_2_RELEVANT_NOTIFICATION"
        what = f"the relevant notification of {base.isoformat()}"
    else:
        trace.use("review_basis_relevant_date")
        base, basis = facts.disposal.date, "S91B_2_EARLIEST_POSSIBLE"
        what = (
            f"the relevant date {base.isoformat()} (earliest possible: the period runs "
            "from the first notification after release)"
        )
    eligible = review_qualifying_date(base, under_18=under_18, trace=trace)
    years = (
        trace.ruleset.review_youth_years.value
        if under_18
        else trace.ruleset.review_adult_years.value
    )
    trace.reason(basis)
    trace.explain(
        f"SOA 2003 s.91B(2): a review of the indefinite requirements may be sought "
        f"from {eligible.isoformat()}, the day after the {years}-year period "
        f"beginning with {what}."
    )
    return eligible, basis


def _disposal_warnings(facts: Facts, age_at_disposal: int, trace: Trace) -> None:
    kind = facts.disposal.type
    if kind is DisposalType.YOUTH_CAUTION and age_at_disposal >= 18:
        trace.warn(
            "A youth caution is given to a person under 18, but the offender was "
            f"{age_at_disposal} on the disposal date (domain-rules.md §2.5)."
        )
    if (
        kind in (DisposalType.SIMPLE_CAUTION, DisposalType.CONDITIONAL_CAUTION)
        and age_at_disposal < 18
    ):
        trace.warn(
            f"An adult {kind.value.replace('_', ' ')} needs the offender to be 18 or "
            f"over when cautioned; the offender was {age_at_disposal} "
            "(domain-rules.md §2.2, §2.3)."
        )


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
