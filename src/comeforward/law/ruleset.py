"""Versioned rule sets: every configurable value the statute engines use, with its source.

Research: domain-rules.md §1.12 ("keep every deadline (3 days, 7 days, 12 hours, 1 year, weekly)
as versioned configuration with effective-from dates. Do not hard-code them") and the marker
table at the top of that document. A value tagged **[M]** (from background knowledge, not
confirmed) or **[D]** (a design or interpretation choice, not law) ``needs_legal_signoff``; the
engines report every such value they actually used in the ``assumptions`` of their output.

A new rule set (e.g. when the Crime and Policing Bill 2025 changes are commenced, §1.12) is a
new :class:`RuleSet` appended to :data:`RULESETS` with a later ``effective_from``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from comeforward.law.errors import UnknownRuleSet

Confidence = Literal["S", "M", "D"]


@dataclass(frozen=True)
class Setting:
    """One configurable value and where it comes from.

    ``confidence`` follows domain-rules.md: S = confirmed from a retrieved source,
    M = unverified background knowledge, D = design/interpretation decision.
    """

    value: Any
    confidence: Confidence
    source: str
    text: str

    @property
    def needs_legal_signoff(self) -> bool:
        return self.confidence in ("M", "D")


def _s(value: Any, confidence: Confidence, source: str, text: str) -> Any:
    return field(default=Setting(value, confidence, source, text))


@dataclass(frozen=True)
class RuleSet:
    """The values in force for notifications and deadlines from ``effective_from``."""

    version: str
    effective_from: date

    # --- Who becomes subject (s.80, Sch 3 paras 13-15, 94-95) -- domain-rules.md §1.2
    part2_commencement: Setting = _s(
        date(2004, 5, 1),
        "S",
        "SOA 2003 s.83(1); Sch 3 para 13(a); domain-rules.md §1.2",
        "Part 2 commenced on 1 May 2004; a conviction or caution before then meets "
        "Sch 3 para 13(a) without the age conditions.",
    )
    images_under_age: Setting = _s(
        16,
        "S",
        "SOA 2003 Sch 3 paras 13, 15; para 95(a); domain-rules.md §1.2",
        "The images must show persons under 16, measured when the photograph was taken.",
    )
    offender_min_age: Setting = _s(
        18,
        "S",
        "SOA 2003 Sch 3 paras 13(b), 15(b); para 95(b); domain-rules.md §1.2",
        "The offender must have been 18 or over at the time of the offence.",
    )
    min_custodial_months: Setting = _s(
        12,
        "S",
        "SOA 2003 Sch 3 paras 13(c), 15(c); domain-rules.md §1.2",
        "Otherwise, a sentence of imprisonment of at least 12 months.",
    )
    cema_same_as_para13: Setting = _s(
        True,
        "M",
        "SOA 2003 Sch 3 para 14; domain-rules.md §1.2",
        "CEMA 1979 s.170 (importing indecent photographs of persons under 16) is treated "
        "with the same conditions as Sch 3 para 13 (text of para 14 not confirmed).",
    )
    prohibited_images_commencement: Setting = _s(
        date(2010, 4, 6),
        "M",
        "Coroners and Justice Act 2009 s.62, commencement (SI 2010/816) [M]; domain-rules.md §1.2",
        "The offence of possessing a prohibited image of a child exists from 6 April 2010: an "
        "earlier offence date is refused.",
    )
    prohibited_images_offender_min_age: Setting = _s(
        18,
        "M",
        "SOA 2003 Sch 3 para 35A; para 95(b); domain-rules.md §1.2 [M]",
        "Prohibited images (CJA 2009 s.62): notifiable if the offender was 18 or over at the "
        "time of the offence.",
    )
    prohibited_images_min_custodial_months: Setting = _s(
        24,
        "M",
        "SOA 2003 Sch 3 para 35A; domain-rules.md §1.2 [M]",
        "Prohibited images (CJA 2009 s.62): otherwise notifiable only on a sentence of "
        "imprisonment of at least 2 years.",
    )
    absolute_discharge_notifiable: Setting = _s(
        False,
        "M",
        "SOA 2003 s.134; domain-rules.md §1.3",
        "An absolute discharge is taken not to trigger notification (s.134 deems only a "
        "conditional discharge to be a conviction for Part 2).",
    )
    outcome_22_notifiable: Setting = _s(
        False,
        "D",
        "SOA 2003 s.80(1); Home Office Counting Rules outcome 22; domain-rules.md §0 R1, §2.1",
        "Outcome 22 (diversionary, educational or intervention activity) is neither a "
        "caution nor a conviction, so it does not start notification.",
    )
    suspended_is_imprisonment: Setting = _s(
        True,
        "M",
        "SOA 2003 s.82; domain-rules.md §1.3 (suspended sentence)",
        "A suspended sentence counts as a sentence of imprisonment of the stated term.",
    )
    dto_custodial_fraction: Setting = _s(
        Fraction(1, 2),
        "S",
        "SOA 2003 s.131; YJLC; domain-rules.md §1.3 (DTO)",
        "Only the detention and training part (half) of a detention and training order "
        "counts as a term of imprisonment.",
    )
    dto_counts_for_sch3_threshold: Setting = _s(
        True,
        "M",
        "SOA 2003 Sch 3 para 13(c); domain-rules.md §7 open question 6",
        "For the Sch 3 '12 months' test, a DTO counts by its custodial part (half the "
        "order), as for s.82 (open question 6).",
    )

    # --- Notification period (s.82) -- domain-rules.md §1.3
    indefinite_min_custodial_months: Setting = _s(
        30,
        "S",
        "SOA 2003 s.82(1) table",
        "Imprisonment for 30 months or more: indefinitely.",
    )
    period_over_6_months_years: Setting = _s(
        10,
        "S",
        "SOA 2003 s.82(1) table",
        "Imprisonment for more than 6 but less than 30 months: 10 years.",
    )
    short_custody_max_months: Setting = _s(
        6,
        "S",
        "SOA 2003 s.82(1) table",
        "Imprisonment for 6 months or less: 7 years.",
    )
    period_6_months_or_less_years: Setting = _s(
        7,
        "S",
        "SOA 2003 s.82(1) table",
        "Imprisonment for 6 months or less: 7 years.",
    )
    period_hospital_years: Setting = _s(
        7,
        "S",
        "SOA 2003 s.82(1) table",
        "Admitted to hospital without a restriction order: 7 years.",
    )
    period_caution_years: Setting = _s(
        2,
        "S",
        "SOA 2003 s.82(1) table; s.80(1)(d)",
        "Cautioned: 2 years.",
    )
    period_other_years: Setting = _s(
        5,
        "S",
        "SOA 2003 s.82(1) table",
        "Any other description (fine, community order …): 5 years.",
    )
    halving_age: Setting = _s(
        18,
        "S",
        "SOA 2003 s.82(2); YJLC; domain-rules.md §1.3",
        "Under 18 on the relevant date: the 10, 7, 5 and 2-year periods are halved; "
        "indefinite and conditional-discharge periods are not.",
    )
    halving_wording: Setting = _s(
        True,
        "M",
        "SOA 2003 s.82(2); domain-rules.md §1.3",
        "The exact statutory wording of the s.82(2) halving rule is unverified.",
    )
    missing_corresponding_day: Setting = _s(
        "next_day",
        "D",
        "SOA 2003 s.82(1) 'beginning with'; domain-rules.md §1.3, §7 item 5",
        "Where the corresponding date does not exist (29 February in a common year, "
        "31st in a shorter month), the period ends the day before the 1st of the next month "
        "(the longer, conservative reading). Alternative: 'last_day_of_month'.",
    )
    leap_day_birthday: Setting = _s(
        "next_day",
        "D",
        "SOA 2003 Sch 3 para 95(b); domain-rules.md §7 item 5",
        "A person born on 29 February attains a new age on 1 March in a common year. "
        "Alternative: 'last_day_of_month' (28 February).",
    )
    leap_day_deadline: Setting = _s(
        "last_day_of_month",
        "D",
        "SOA 2003 s.85(1), s.91B; domain-rules.md §1.6, §7 item 5",
        "A deadline falling on the anniversary of 29 February is due on 28 February in a "
        "common year (the earlier, conservative reading for a duty to act).",
    )

    # --- Deadlines (ss.83-86, Regs 2012, Travel Regs 2004) -- domain-rules.md §1.4-§1.9
    initial_notification_days: Setting = _s(
        3,
        "S",
        "SOA 2003 s.83(1); domain-rules.md §1.4",
        "Initial notification within 3 days beginning with the relevant date.",
    )
    change_notification_days: Setting = _s(
        3,
        "S",
        "SOA 2003 s.84(1); domain-rules.md §1.5",
        "Changes within 3 days beginning with the change.",
    )
    regs2012_change_days: Setting = _s(
        3,
        "M",
        "Regs 2012 (SI 2012/1876); domain-rules.md §1.8",
        "Changes to Regs 2012 matters (bank, card, passport, identity document, residing "
        "with a child) within 3 days.",
    )
    whole_day_disregard: Setting = _s(
        True,
        "D",
        "SOA 2003 s.83(6), s.84(5), s.85(3); domain-rules.md §1.5, §1.9",
        "A day is disregarded only if the person was in custody, in hospital or outside the "
        "UK for the whole of that day; the disregarded periods given are taken as such days.",
    )
    advance_notice_early_days: Setting = _s(
        2,
        "S",
        "SOA 2003 s.84(3); domain-rules.md §1.5",
        "An advance notice does not meet the duty if the event happens more than 2 days "
        "before the date notified.",
    )
    advance_notice_window_days: Setting = _s(
        3,
        "S",
        "SOA 2003 s.84(4)(a); domain-rules.md §1.5",
        "An advance notice does not meet the duty if the event has not happened by the end "
        "of 3 days beginning with the date notified.",
    )
    non_occurrence_days: Setting = _s(
        6,
        "S",
        "SOA 2003 s.84(4)(b); domain-rules.md §1.5",
        "The fact that an advance-notified event did not occur is notified within 6 days "
        "beginning with the date notified.",
    )
    qualifying_period_days: Setting = _s(
        7,
        "S",
        "SOA 2003 s.84(6); Explanatory Notes para 165; domain-rules.md §1.5",
        "Qualifying period: 7 days, or periods amounting to 7 days in any 12 months.",
    )
    qualifying_window_months: Setting = _s(
        12,
        "S",
        "SOA 2003 s.84(6); domain-rules.md §1.5",
        "The qualifying period is counted within any period of 12 months.",
    )
    periodic_years: Setting = _s(
        1,
        "S",
        "SOA 2003 s.85(1), (5); domain-rules.md §1.6",
        "Periodic notification within one year after each notification under s.83(1), "
        "s.84(1) or s.85(1).",
    )
    periodic_due_on_anniversary: Setting = _s(
        True,
        "D",
        "SOA 2003 s.85(1); domain-rules.md §1.6, §1.9",
        "'Within one year after' is read as due by the anniversary of the notification.",
    )
    periodic_disregard_days: Setting = _s(
        3,
        "S",
        "SOA 2003 s.85(3)-(4); domain-rules.md §1.6",
        "If the year ends while the person is in custody, in hospital or outside the UK, "
        "notification is due within 3 days beginning when that stops.",
    )
    no_fixed_abode_days: Setting = _s(
        7,
        "S",
        "SOA 2003 s.85(5)-(6); Regs 2012; domain-rules.md §1.6",
        "No sole or main residence: notify every 7 days.",
    )
    no_fixed_abode_due_on_day_7: Setting = _s(
        True,
        "D",
        "SOA 2003 s.85(5)-(6); Regs 2012; domain-rules.md §1.6",
        "'Within 7 days after' is read as due on the seventh day after the last notification.",
    )
    travel_notice_days: Setting = _s(
        7,
        "S",
        "SOA 2003 s.86; Travel Regs 2004 as amended by Regs 2012; domain-rules.md §1.7",
        "Foreign travel: notify not less than 7 days before departure (latest day = "
        "departure date minus 7 days).",
    )
    travel_late_known_hours: Setting = _s(
        12,
        "M",
        "Travel Regs 2004 as amended; domain-rules.md §1.7, §7 item 3",
        "Travel not known 7 days ahead: notify not less than 12 hours before departure.",
    )
    travel_change_hours: Setting = _s(
        24,
        "M",
        "Travel Regs 2004 as amended; domain-rules.md §1.7, §7 item 3",
        "A change to notified travel details: fresh notification at least 24 hours before "
        "departure.",
    )
    travel_return_days: Setting = _s(
        3,
        "M",
        "Travel Regs 2004 as amended; domain-rules.md §1.7, §7 item 3",
        "Return not notified in advance (or changed): notify within 3 days of return.",
    )
    default_departure_time: Setting = _s(
        "00:00",
        "D",
        "domain-rules.md §1.7",
        "Where the departure time is not given, it is taken as 00:00 on the departure date "
        "(the earliest, so the hours-based deadlines are never too late).",
    )

    # --- Review of indefinite requirements (s.91A-91F) -- domain-rules.md §1.10
    review_adult_years: Setting = _s(
        15,
        "S",
        "SOA 2003 s.91B(2); domain-rules.md §1.10",
        "Review: qualifying date is the day after the 15-year period beginning with the "
        "relevant notification (18 or over on the relevant date).",
    )
    review_youth_years: Setting = _s(
        8,
        "S",
        "SOA 2003 s.91B(2); domain-rules.md §1.10",
        "Review: 8 years where under 18 on the relevant date.",
    )
    further_review_years: Setting = _s(
        8,
        "S",
        "SOA 2003 s.91B(3); domain-rules.md §1.10",
        "Further review: the day after the 8-year period beginning with the determination "
        "(the chief officer may set up to 15 years).",
    )
    review_basis_relevant_date: Setting = _s(
        True,
        "D",
        "SOA 2003 s.91B(2); domain-rules.md §1.10",
        "Without the date of the relevant notification (the first after release), the "
        "review date is the earliest possible: counted from the relevant date.",
    )

    def setting(self, name: str) -> Setting:
        value = getattr(self, name)
        if not isinstance(value, Setting):
            raise KeyError(name)
        return value

    def settings(self) -> dict[str, Setting]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), Setting)
        }

    def pending_signoff(self) -> dict[str, Setting]:
        """Every value tagged [M] or [D]: awaiting legal sign-off."""
        return {k: s for k, s in self.settings().items() if s.needs_legal_signoff}


#: Law as in force from the Regs 2012 (SI 2012/1876) commencement, checked against the
#: research of domain-rules.md (sources up to 2025). Earlier travel rules (trips of 3+ days
#: only) are not modelled, so deadlines before this date are refused.
RULESET = RuleSet(version="2026.1", effective_from=date(2012, 8, 13))

RULESETS: tuple[RuleSet, ...] = (RULESET,)


def ruleset_for(on: date | None = None, *, version: str | None = None) -> RuleSet:
    """The rule set with ``version``, else the latest in effect ``on`` a date (default: latest)."""
    if version is not None:
        for ruleset in RULESETS:
            if ruleset.version == version:
                return ruleset
        raise UnknownRuleSet(
            f"No rule set has version {version!r}.",
            details={"version": version, "available": [r.version for r in RULESETS]},
        )
    candidates = [r for r in RULESETS if on is None or r.effective_from <= on]
    if not candidates:
        raise UnknownRuleSet(
            f"No rule set was in effect on {on.isoformat() if on else on}.",
            details={
                "date": on.isoformat() if on else None,
                "earliest_effective_from": min(r.effective_from for r in RULESETS).isoformat(),
            },
        )
    return max(candidates, key=lambda r: r.effective_from)
