"""Safeguarding rules, pure Python (domain-rules §5.2; §4.7 E9/E10).

- S1 identify access: children in the household, working or volunteering with children.
- S2 referral to children's social care: a child in the household → the same day [M].
- S3/S5 strategy discussion / immediate protection: an immediate risk to a child [M].
- S6 LADO referral: works or volunteers with children → within one working day [M].
- S11 suicide and self-harm: screening and signposting to support [S] — a prompt, never an
  automatic decision.

The deadlines are configuration (``SAFEGUARDING_REFERRAL_DEADLINES``, in working days) and each
carries ``needs_policy_signoff=True``: the research rates them [M] (unverified) or [D] (a
design proposal), so the service shows them as local policy awaiting sign-off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class ReferralKind(StrEnum):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    LADO = "lado"
    STRATEGY_DISCUSSION = "strategy_discussion"
    MENTAL_HEALTH = "mental_health"

    @property
    def label(self) -> str:
        return REFERRAL_LABELS[self]


REFERRAL_LABELS: dict[ReferralKind, str] = {
    ReferralKind.CHILDRENS_SOCIAL_CARE: "Children's social care",
    ReferralKind.LADO: "Local Authority Designated Officer (LADO)",
    ReferralKind.STRATEGY_DISCUSSION: "Strategy discussion",
    ReferralKind.MENTAL_HEALTH: "Mental-health or crisis support",
}

#: Referrals that protect children: these are what the workflow guards count (the guard
#: "SAFEGUARDING_REFERRAL_NOT_MADE" names children's social care, LADO or a strategy
#: discussion). Mental-health support referrals are recorded and shown but gate nothing.
CHILD_PROTECTION_KINDS = frozenset(
    {ReferralKind.CHILDRENS_SOCIAL_CARE, ReferralKind.LADO, ReferralKind.STRATEGY_DISCUSSION}
)


@dataclass(frozen=True)
class ScreenAnswers:
    children_in_household: bool
    works_with_children: bool
    immediate_risk: bool
    suicide_or_self_harm_risk: bool


def referral_required(answers: ScreenAnswers) -> bool:
    """Children in the household, work with children or an immediate risk ⇒ a child-protection
    referral is required (domain-rules §5.2 S2, S3, S6)."""
    return answers.children_in_household or answers.works_with_children or answers.immediate_risk


def referrals_indicated(answers: ScreenAnswers) -> tuple[ReferralKind, ...]:
    """The referrals each answer prompts, in the order §5.2 lists them."""
    kinds: list[ReferralKind] = []
    if answers.children_in_household or answers.immediate_risk:
        kinds.append(ReferralKind.CHILDRENS_SOCIAL_CARE)  # S2
    if answers.immediate_risk:
        kinds.append(ReferralKind.STRATEGY_DISCUSSION)  # S3/S5
    if answers.works_with_children:
        kinds.append(ReferralKind.LADO)  # S6
    if answers.suicide_or_self_harm_risk:
        kinds.append(ReferralKind.MENTAL_HEALTH)  # S11
    return tuple(kinds)


@dataclass(frozen=True)
class ReferralDeadline:
    kind: ReferralKind
    working_days: int
    source: str
    needs_policy_signoff: bool = True


#: Defaults; override the working days with ``SAFEGUARDING_REFERRAL_DEADLINES``.
DEFAULT_DEADLINES: dict[ReferralKind, ReferralDeadline] = {
    ReferralKind.CHILDRENS_SOCIAL_CARE: ReferralDeadline(
        ReferralKind.CHILDRENS_SOCIAL_CARE, 0, "domain-rules §5.2 S2: the same day [M]"
    ),
    ReferralKind.STRATEGY_DISCUSSION: ReferralDeadline(
        ReferralKind.STRATEGY_DISCUSSION, 1, "local policy proposal: 1 working day [D]"
    ),
    ReferralKind.LADO: ReferralDeadline(
        ReferralKind.LADO, 1, "domain-rules §5.2 S6: within one working day [M]"
    ),
    ReferralKind.MENTAL_HEALTH: ReferralDeadline(
        ReferralKind.MENTAL_HEALTH, 0, "domain-rules §5.2 S11: at the first contact [D]"
    ),
}


def deadlines(overrides: Mapping[str, int] | None = None) -> dict[ReferralKind, ReferralDeadline]:
    """The deadlines with any configured working-day overrides applied (still flagged)."""
    result = dict(DEFAULT_DEADLINES)
    for key, days in (overrides or {}).items():
        kind = ReferralKind(key)
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise ValueError(f"Deadline for {key} must be a whole number of days, not {days!r}")
        result[kind] = ReferralDeadline(kind, days, f"configured: {days} working day(s) [D]")
    return result


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """``start`` plus ``days`` working days (Monday–Friday, not a listed bank holiday).

    Zero days means the same day. A start on a non-working day counts from the next
    working day, so "within one working day" of a Saturday is the Tuesday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    closed = set(holidays)

    def working(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in closed

    current = start
    if days == 0:
        return current
    while not working(current):
        current += dt.timedelta(days=1)
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if working(current):
            remaining -= 1
    return current


def referral_due(
    kind: ReferralKind,
    identified_on: dt.date,
    *,
    table: Mapping[ReferralKind, ReferralDeadline] = DEFAULT_DEADLINES,
    holidays: Iterable[dt.date] = (),
) -> dt.date:
    return add_working_days(identified_on, table[kind].working_days, holidays)


# --- Children the person has access to (S1, S12; issue 12.3) --------------------------------

AGE_BANDS = {
    "under_5": "Under 5",
    "5_to_10": "5 to 10",
    "11_to_15": "11 to 15",
    "16_to_17": "16 or 17",
    "unknown": "Not known",
}
RELATIONSHIPS = {
    "own_child": "Own child or stepchild",
    "partners_child": "Partner's child",
    "relative": "Grandchild, niece, nephew or other relative",
    "friends_child": "Child of a friend or neighbour",
    "through_work": "Through work or volunteering",
    "other": "Other",
}
ACCESS_KINDS = {
    "household": "Lives in the household",
    "regular_stays": "Stays regularly (12 hours or more)",
    "visits": "Visits or is visited",
    "babysitting_or_care": "Babysitting or caring for the child",
    "work_or_volunteering": "Work or volunteering",
    "online": "Online contact",
    "other": "Other",
}


def child_gives_access(*, ended: bool) -> bool:
    """Any recorded child with current access counts as access to children (E9), whether or not
    the access is supervised: supervision is for the strategy discussion and the safety plan
    to weigh, never a reason for the policy to treat the access as absent (fail closed)."""
    return not ended
