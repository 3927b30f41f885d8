"""CPORT — Child Pornography Offender Risk Tool (Seto & Eke 2015).

Implements domain-rules.md §3.1: seven yes/no items, total 0–7; at most one missing item,
a missing item counts 0 so the total is the minimum possible score [S] (scoring guide: "should
not be used with more than 1 missing data point"). The per-score norms (2026 norms paper,
DOI 10.1177/10790632261446632) were not retrieved, so no probability is reported until
``CportRules.norms`` is filled in from the paper's table (§7 open question 8).

Item 5 may be replaced by the CASIC as a proxy when unknown (§3.2); the cut-off (commonly ≥3)
is [M], so it is configuration and flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from comeforward.risk.base import Computation, Instrument, Item, Value, pts, yes_no

CPORT_ITEM_KEYS = (
    "age_35_or_younger",
    "prior_criminal_history",
    "contact_sexual_offending",
    "conditional_release_failure",
    "sexual_interest_in_children",
    "more_boy_than_girl_csem",
    "more_boy_than_girl_other",
)


@dataclass(frozen=True)
class CportRules:
    """Configuration. ``norms`` maps score → published 5-year sexual recidivism rate."""

    max_missing: int = 1  # [S] scoring guide
    casic_proxy: bool = True  # [S] the guide allows the CASIC as a proxy for item 5
    casic_proxy_cutoff: int = 3  # [M] commonly ≥3 — awaits sign-off
    norms: Mapping[int, float] | None = None  # not retrieved (§3.1) — enter from the paper


class Cport(Instrument):
    name = "cport"
    title = "CPORT (Child Pornography Offender Risk Tool)"
    version = "Seto & Eke 2015; scoring guide; comeforward rules 1"
    citation = (
        "Seto, M. C., & Eke, A. W. (2015). Predicting recidivism among adult male child "
        "pornography offenders: Development of the Child Pornography Offender Risk Tool "
        "(CPORT). Law and Human Behavior, 39(4), 416–429. Missing-item rule: CPORT scoring "
        "guide. comeforward research: domain-rules.md §3.1."
    )
    population = (
        "Adult males convicted of CSEM (IIOC) offences; outcome any sexual recidivism over a "
        "5-year fixed follow-up."
    )
    min_score = 0
    max_score = 7
    bands = ()
    items = (
        Item(
            "age_35_or_younger",
            "Younger offender age",
            "bool",
            "Yes if 35 or younger at the time of the index investigation.",
            confidence="S (item); M (cut-off detail)",
        ),
        Item(
            "prior_criminal_history",
            "Any prior criminal history",
            "bool",
            "Yes if any charge or conviction for any offence before the index offence.",
            confidence="S (item); M (detail)",
        ),
        Item(
            "contact_sexual_offending",
            "Any contact sexual offending",
            "bool",
            "Yes if any prior or index contact sexual offence: charges, convictions, or a "
            "credible admission as the guide defines it.",
            confidence="S (item); M (detail)",
        ),
        Item(
            "conditional_release_failure",
            "Any failure on conditional release",
            "bool",
            "Yes if any breach of bail, probation, parole or other conditional release, "
            "including a new offence while on release.",
            confidence="S (item); M (detail)",
        ),
        Item(
            "sexual_interest_in_children",
            "Indication of sexual interest in CSEM or in prepubescent or pubescent children",
            "bool",
            "Yes if admission, diagnosis of paedophilia or hebephilia, or specialised testing "
            "indicates it. If unknown, supply casic_total to use the CASIC as a proxy.",
            confidence="S (item); M (proxy rule)",
        ),
        Item(
            "more_boy_than_girl_csem",
            "More boy than girl content in CSEM",
            "bool",
            "Yes if images or videos of boys outnumber those of girls. Taken from triage "
            "counts or the examiner's report — never by viewing content in this system.",
        ),
        Item(
            "more_boy_than_girl_other",
            "More boy than girl content in other child depictions",
            "bool",
            "Yes if boys outnumber girls in non-CSEM child images, drawings or stories.",
        ),
        Item(
            "casic_total",
            "CASIC total (proxy for item 5 only)",
            "int",
            "Optional. The CASIC total (0–6). Used only when item 5 is unknown: at or above "
            "the configured cut-off, item 5 is scored yes; below it, no.",
            confidence="M (cut-off)",
            maximum=6,
            scored=False,
            candidates=(0, 6),
        ),
    )

    def __init__(self, rules: CportRules | None = None) -> None:
        self.rules = rules or CportRules()
        self.max_missing = self.rules.max_missing

    def general_warnings(self) -> tuple[str, ...]:
        out = [
            "Population: adult males convicted of CSEM offences. A self-referrer who has not "
            "been cautioned or convicted is outside the development sample."
        ]
        if self.rules.norms is None:
            out.append(
                "No probability: the per-score CPORT norms (2026 norms paper) have not been "
                "entered. Published anchors only: rates rise from 3% to 41% (any sexual, "
                "5 years); median score 2 = 64th percentile (domain-rules.md §3.1)."
            )
        return tuple(out)

    def validate(self, raw: Mapping[str, object]) -> tuple[dict[str, Value], list[str]]:
        values, notes = super().validate(raw)
        # casic_total is an optional extension: its absence is not worth a note.
        return values, [n for n in notes if not n.startswith("casic_total ")]

    def missing_keys(self, values: Mapping[str, Value]) -> list[str]:
        # Item 5 answered through the CASIC proxy is not missing.
        return [
            k
            for k in CPORT_ITEM_KEYS
            if values[k] is None
            and not (k == "sexual_interest_in_children" and self._proxy_applies(values))
        ]

    def official(self, values: Mapping[str, Value], outcomes: list[Computation]) -> Computation:
        """Guide rule [S]: a missing item counts 0 (the reported total is the minimum)."""
        return self.compute(values)

    def _proxy_applies(self, values: Mapping[str, Value]) -> bool:
        return (
            self.rules.casic_proxy
            and values.get("sexual_interest_in_children") is None
            and values.get("casic_total") is not None
        )

    def compute(self, values: Mapping[str, Value]) -> Computation:
        points: dict[str, int | None] = {}
        explanations: dict[str, str] = {}
        signoff: list[str] = []
        details: dict[str, object] = {}
        for key in CPORT_ITEM_KEYS:
            value = values[key]
            label = self.item(key).label
            if (
                key == "sexual_interest_in_children"
                and value is None
                and self._proxy_applies(values)
            ):
                casic = int(values["casic_total"])  # type: ignore[arg-type]
                hit = casic >= self.rules.casic_proxy_cutoff
                points[key] = 1 if hit else 0
                explanations[key] = (
                    f"{label}: unknown, so the CASIC proxy was used — CASIC total {casic} "
                    f"{'meets' if hit else 'is below'} the cut-off of "
                    f"{self.rules.casic_proxy_cutoff}: {pts(1 if hit else 0)}."
                )
                signoff.append(
                    f"Item 5 scored from the CASIC proxy with cut-off ≥"
                    f"{self.rules.casic_proxy_cutoff}: the cut-off is unverified ([M]) and "
                    "awaits sign-off (domain-rules.md §3.2)."
                )
                details["item5_from_casic_proxy"] = True
            elif value is None:
                points[key] = 0
                explanations[key] = (
                    f"{label}: not known (null) — counted 0 under the CPORT guide's "
                    "missing-item rule, so the total is the minimum possible score."
                )
            else:
                points[key] = 1 if value else 0
                explanations[key] = f"{label}: {yes_no(value)} — {pts(points[key])}."
        points["casic_total"] = None
        explanations["casic_total"] = (
            "Used only as a proxy for item 5."
            if self._proxy_applies(values)
            else "Not used (item 5 is known, or no CASIC total was given)."
        )
        score = sum(p for p in points.values() if p is not None)
        probability = None if self.rules.norms is None else self.rules.norms.get(score)
        return Computation(
            score, None, probability, points, explanations, details, signoff=tuple(signoff)
        )
