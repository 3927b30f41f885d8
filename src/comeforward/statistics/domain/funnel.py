"""The scheme's funnel (issue 14.1): the stages a person passes through, their conversion
rates and the reasons people leave the route (docs/statistics.md §Funnel).

Cohorts, not events: enquiry stages count the enquiries *opened* in a period and how many of
them came forward; every case stage counts the cases *referred* in a period and how many of
them have reached the stage by the date of the figures. So each conversion rate compares the
same people (a person referred in March and cautioned in June counts in March's cautions).
Recent cohorts are still moving; the pages say so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    parent: str | None  # the stage the conversion rate is measured from


STAGES: tuple[Stage, ...] = (
    Stage("enquiries", "Anonymous enquiries", None),
    Stage("came_forward", "Came forward from an enquiry", "enquiries"),
    Stage("referrals", "Referrals (cases opened)", None),
    Stage("self_referrals", "Self-referrals", "referrals"),
    Stage("devices_examined", "Devices examined", "referrals"),
    Stage("recommended", "Eligibility assessed", "referrals"),
    Stage("eligible", "Eligible", "recommended"),
    Stage("not_eligible", "Not eligible", "recommended"),
    Stage("diverted", "Diverted (decision to divert)", "eligible"),
    Stage("prosecuted", "Referred for prosecution", "referrals"),
    Stage("no_further_action", "No further action", "referrals"),
    Stage("cautioned", "Cautioned", "diverted"),
    Stage("treatment_started", "Treatment started", "cautioned"),
    Stage("treatment_completed", "Treatment completed", "treatment_started"),
    Stage("notification_completed", "Notification period completed", "cautioned"),
)
STAGE_KEYS = tuple(stage.key for stage in STAGES)
STAGE_LABELS = {stage.key: stage.label for stage in STAGES}
SELF_REFERRAL_ROUTES = frozenset({"self_referral", "enquiry_conversion"})


@dataclass(frozen=True)
class CaseRecord:
    """What the statistics know of one case (built from the source tables by the refresh;
    dates are the first day the case reached each point, None = not reached / not known)."""

    case_id: int
    organisation_id: int
    route: str
    state: str
    referred_on: dt.date
    state_changed_on: dt.date
    devices_examined_on: dt.date | None = None
    recommended_on: dt.date | None = None
    eligible: bool | None = None  # None: no recommendation (or the policy could not decide)
    ineligible_rules: tuple[str, ...] = ()
    diverted_on: dt.date | None = None
    prosecuted_on: dt.date | None = None
    no_further_action_on: dt.date | None = None
    cautioned_on: dt.date | None = None
    treatment_started_on: dt.date | None = None
    treatment_completed_on: dt.date | None = None
    treatment_not_completed_on: dt.date | None = None
    breach_confirmed_on: dt.date | None = None
    notification_completed_on: dt.date | None = None
    exit_reason: str = ""  # a fast exit's reason code
    #: SLA task kind → (working days the stage took, the day it ended), finished stages only
    stage_days: Mapping[str, tuple[int, dt.date]] = field(default_factory=dict)
    # equality monitoring (blank: not recorded)
    age_at_referral: int | None = None
    sex: str = ""
    ethnicity: str = ""
    disability: str = ""

    @property
    def disposal_on(self) -> dt.date | None:
        """The disposal date the follow-up windows run from: the caution, the referral for
        prosecution or the decision of no further action, whichever came first."""
        dates = [
            d
            for d in (self.cautioned_on, self.prosecuted_on, self.no_further_action_on)
            if d is not None
        ]
        return min(dates) if dates else None

    @property
    def outcome(self) -> str:
        """The case's outcome so far, for outcome tables: a breach that led to prosecution
        counts as prosecuted (the scheme's rule: breach means prosecution)."""
        if self.prosecuted_on is not None:
            return "prosecuted"
        if self.cautioned_on is not None or self.diverted_on is not None:
            return "diverted"
        if self.no_further_action_on is not None:
            return "no_further_action"
        return "open"


OUTCOMES = {
    "diverted": "Diverted",
    "prosecuted": "Prosecuted",
    "no_further_action": "No further action",
    "open": "Not yet decided",
}


def stages_reached(record: CaseRecord) -> set[str]:
    reached = {"referrals"}
    if record.route in SELF_REFERRAL_ROUTES:
        reached.add("self_referrals")
    for key, value in (
        ("devices_examined", record.devices_examined_on),
        ("recommended", record.recommended_on),
        ("diverted", record.diverted_on),
        ("prosecuted", record.prosecuted_on),
        ("no_further_action", record.no_further_action_on),
        ("cautioned", record.cautioned_on),
        ("treatment_started", record.treatment_started_on),
        ("treatment_completed", record.treatment_completed_on),
        ("notification_completed", record.notification_completed_on),
    ):
        if value is not None:
            reached.add(key)
    if record.recommended_on is not None and record.eligible is True:
        reached.add("eligible")
    if record.recommended_on is not None and record.eligible is False:
        reached.add("not_eligible")
    return reached


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(month: str) -> str:
    year, mon = month.split("-")
    return f"{year}-Q{(int(mon) - 1) // 3 + 1}"


def funnel_by_month(
    records: Iterable[CaseRecord],
    enquiries: Iterable[tuple[dt.date, bool]],
) -> dict[str, Counter]:
    """month → stage → count. ``enquiries``: (opened_on, came_forward) per enquiry."""
    result: dict[str, Counter] = defaultdict(Counter)
    for opened_on, came_forward in enquiries:
        month = result[month_of(opened_on)]
        month["enquiries"] += 1
        if came_forward:
            month["came_forward"] += 1
    for record in records:
        result[month_of(record.referred_on)].update(stages_reached(record))
    return dict(result)


def roll_up(by_month: Mapping[str, Mapping[str, int]], period: Callable[[str], str]):
    """Sum monthly counts into other periods (``quarter_of``, or a year)."""
    result: dict[str, Counter] = defaultdict(Counter)
    for month, counts in by_month.items():
        result[period(month)].update(counts)
    return dict(result)


def conversion(counts: Mapping[str, int | None]) -> dict[str, float | None]:
    """Each stage as a proportion of its parent stage (None where either count is hidden or
    the parent is zero)."""
    rates: dict[str, float | None] = {}
    for stage in STAGES:
        if stage.parent is None:
            continue
        numerator, denominator = counts.get(stage.key), counts.get(stage.parent)
        rates[stage.key] = (
            None
            if numerator is None or denominator is None or denominator == 0
            else numerator / denominator
        )
    return rates


# Reasons people leave the route (issue 14.1), most specific first.
LEAVING_REASONS = {
    "not_eligible": "Not eligible under the policy",
    "fast_exit": "Taken out of the scheme early (fast exit)",
    "decided_prosecution": "Decision to prosecute although eligible",
    "no_further_action": "No further action",
    "treatment_not_completed": "Treatment not completed",
    "breach": "Breach confirmed",
}


def leaving_reason(record: CaseRecord) -> str | None:
    """Why a case left the diversion route, or None (still on it, or diverted and not
    breached)."""
    if record.breach_confirmed_on is not None:
        return "breach"
    if record.treatment_not_completed_on is not None:
        return "treatment_not_completed"
    if record.exit_reason:
        return "fast_exit"
    if record.eligible is False and record.diverted_on is None:
        return "not_eligible"
    if record.no_further_action_on is not None and record.diverted_on is None:
        return "no_further_action"
    if record.prosecuted_on is not None:
        return "decided_prosecution"
    return None


def leaving_reasons(records: Iterable[CaseRecord]) -> tuple[Counter, Counter]:
    """(reason → count, criterion → count): the criteria are the policy rule codes that made
    people not eligible (a person can fail several criteria: each is counted)."""
    reasons: Counter = Counter()
    criteria: Counter = Counter()
    for record in records:
        reason = leaving_reason(record)
        if reason is None:
            continue
        reasons[reason] += 1
        if reason == "not_eligible":
            criteria.update(record.ineligible_rules or ("not recorded",))
    return reasons, criteria
