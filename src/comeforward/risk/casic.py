"""CASIC — Correlates of Admission of Sexual Interest in Children (Seto & Eke 2017).

Implements domain-rules.md §3.2: six yes/no items, total 0–6 [S]. The CASIC has no bands and
no published probability. Its use as a proxy for CPORT item 5 at a cut-off (commonly ≥3) is
[M]: configuration, flagged in the output. The research records no missing-item rule, so by
design [D] no item may be unknown (``CasicRules.max_missing``).

Items (e) and (f) are also safeguarding triggers and eligibility exclusions (§3.2 design
note, §4.7 E6/E10, §5): the output says so when they are answered yes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from comeforward.risk.base import Computation, Instrument, Item, Value, pts, yes_no

CASIC_ITEM_KEYS = (
    "never_married",
    "csem_videos",
    "csem_stories",
    "interest_two_years_plus",
    "volunteered_with_children",
    "online_sexual_communication_with_minor",
)

SAFEGUARDING_ITEMS = {
    "volunteered_with_children": "LADO referral and eligibility exclusion E10 (§4.7, §5)",
    "online_sexual_communication_with_minor": "eligibility exclusion E6 (§4.7) and safeguarding",
}


@dataclass(frozen=True)
class CasicRules:
    max_missing: int = 0  # [D] no published missing-item rule
    proxy_cutoff: int = 3  # [M] cut-off used to stand in for CPORT item 5


class Casic(Instrument):
    name = "casic"
    title = "CASIC (Correlates of Admission of Sexual Interest in Children)"
    version = "Seto & Eke 2017; comeforward rules 1"
    citation = (
        "Seto, M. C., & Eke, A. W. (2017). Correlates of admitted sexual interest in children "
        "among individuals convicted of child pornography offenses. Law and Human Behavior, "
        "41(3), 305–313. comeforward research: domain-rules.md §3.2."
    )
    population = (
        "Men convicted of CSEM (IIOC) offences (development sample n = 286); a correlate of "
        "admitted sexual interest in children, not a recidivism scale."
    )
    min_score = 0
    max_score = 6
    bands = ()
    items = (
        Item(
            "never_married",
            "Never married",
            "bool",
            "Yes if never married (54% of the development sample).",
        ),
        Item(
            "csem_videos",
            "CSEM included child sexual abuse videos",
            "bool",
            "Yes if the material included videos (64%). From the examiner's report or triage "
            "listing — never by viewing content in this system.",
        ),
        Item(
            "csem_stories",
            "CSEM included sex stories involving children",
            "bool",
            "Yes if the material included written stories (31%).",
        ),
        Item(
            "interest_two_years_plus",
            "Interest in CSEM spanned 2 or more years",
            "bool",
            "Yes if the evidence of interest spans two years or more (55%).",
        ),
        Item(
            "volunteered_with_children",
            "Volunteered in a role with high access to children",
            "bool",
            "Yes if any volunteering with high access to children (7%). Also a safeguarding "
            "trigger: LADO referral.",
        ),
        Item(
            "online_sexual_communication_with_minor",
            "Online sexual communication with a minor",
            "bool",
            "Yes if any online sexual communication with a minor or an officer posing as one "
            "(10%). Also a safeguarding trigger and an eligibility exclusion.",
        ),
    )

    def __init__(self, rules: CasicRules | None = None) -> None:
        self.rules = rules or CasicRules()
        self.max_missing = self.rules.max_missing

    def compute(self, values: Mapping[str, Value]) -> Computation:
        points: dict[str, int | None] = {}
        explanations: dict[str, str] = {}
        warnings: list[str] = []
        for key in CASIC_ITEM_KEYS:
            value = values[key]
            points[key] = 1 if value else 0
            explanations[key] = f"{self.item(key).label}: {yes_no(value)} — {pts(points[key])}."
            if value and key in SAFEGUARDING_ITEMS:
                warnings.append(
                    f"{key} is yes: safeguarding trigger — {SAFEGUARDING_ITEMS[key]}. Record it "
                    "once as a structured fact and reuse it."
                )
        score = sum(p for p in points.values() if p is not None)
        meets = score >= self.rules.proxy_cutoff
        signoff = (
            f"CPORT item 5 proxy: CASIC total {score} {'meets' if meets else 'is below'} the "
            f"cut-off ≥{self.rules.proxy_cutoff}; the cut-off is unverified ([M]) and awaits "
            "sign-off (domain-rules.md §3.2).",
        )
        details = {
            "proxy_cutoff": self.rules.proxy_cutoff,
            "meets_proxy_cutoff": meets,
            "safeguarding_triggers": [k for k in SAFEGUARDING_ITEMS if values[k]],
        }
        return Computation(
            score, None, None, points, explanations, details, tuple(warnings), signoff
        )
