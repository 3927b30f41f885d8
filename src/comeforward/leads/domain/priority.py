"""Prioritisation (users-and-security §2.4 check 11; domain-rules §3.6).

Two separate scales, never mixed:

* **safeguarding urgency** — from the checks on access to children and a KIRAT category
  *as supplied* (KIRAT is not re-implemented: its items are restricted, domain-rules §3.6);
* **evidential strength** — from independent corroboration, capped while fraud indicators
  stand unanswered.

The queue is ordered by urgency (then by age); each urgency has an action timescale. The
timescales are configuration **[M] awaiting legal/operational sign-off**; their default is the
HMICFRS 2023 windows (1 day / 1 week / 2 weeks / 30 days, users-and-security §2.6 row
"Timeliness and triage").
"""

from __future__ import annotations

from dataclasses import dataclass

KIRAT_CATEGORIES = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")

URGENCIES = ("IMMEDIATE", "HIGH", "MEDIUM", "LOW")  # most urgent first
URGENCY_LABELS = {
    "IMMEDIATE": "Immediate",
    "HIGH": "High",
    "MEDIUM": "Medium",
    "LOW": "Low",
}
#: Days within which action is due at each urgency. [M] awaiting sign-off.
ACTION_TIMESCALE_DAYS = {"IMMEDIATE": 1, "HIGH": 7, "MEDIUM": 14, "LOW": 30}
TIMESCALES_SIGN_OFF = "awaiting legal sign-off"

_FROM_KIRAT = {"VERY_HIGH": "IMMEDIATE", "HIGH": "HIGH", "MEDIUM": "MEDIUM", "LOW": "LOW"}

STRENGTHS = ("STRONG", "MODERATE", "WEAK")


@dataclass(frozen=True)
class Urgency:
    level: str
    reasons: tuple[str, ...]

    @property
    def rank(self) -> int:
        return URGENCIES.index(self.level)

    @property
    def days(self) -> int:
        return ACTION_TIMESCALE_DAYS[self.level]


def safeguarding_urgency(*, access_to_children: bool | None, kirat: str | None) -> Urgency:
    """The more urgent of what the checks and the supplied KIRAT category say. Access to
    children not yet checked counts as HIGH (fail closed: unknown is never "low")."""
    candidates: list[tuple[str, str]] = []
    if access_to_children is True:
        candidates.append(("IMMEDIATE", "Checks found access to children"))
    elif access_to_children is None:
        candidates.append(("HIGH", "Access to children not yet checked"))
    else:
        candidates.append(("LOW", "Checks found no access to children"))
    if kirat:
        candidates.append((_FROM_KIRAT[kirat], f"KIRAT category {kirat} (as supplied)"))
    level = min((URGENCIES.index(level) for level, _ in candidates))
    chosen = URGENCIES[level]
    reasons = tuple(reason for lvl, reason in candidates if lvl == chosen)
    return Urgency(chosen, reasons)


def evidential_strength(
    *, independent_corroboration_kinds: int, fraud_indicators: int, linked_to_person: bool
) -> tuple[str, str]:
    """(strength, why). Payment or referral data alone is WEAK (check 2: payment-only cannot
    be graded above low without other evidence); fraud indicators hold it at WEAK until at
    least two independent kinds of corroboration answer them."""
    if independent_corroboration_kinds == 0:
        return "WEAK", "Bulk data only: no independent corroboration recorded"
    if fraud_indicators and independent_corroboration_kinds < 2:
        return "WEAK", "Fraud indicators stand against one corroboration"
    if independent_corroboration_kinds >= 2 and linked_to_person:
        return "STRONG", "Two or more independent kinds of corroboration, person identified"
    return "MODERATE", "Independently corroborated"
