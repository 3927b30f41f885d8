"""Static-99R (Hanson & Thornton; coding rules revised 2016; risk levels 2016).

Implements domain-rules.md §3.4. Item weights and the 2016 risk levels are [M] ("stable and
widely published" but not confirmed in the research session): they live in
``Static99rRules`` and every result carries a sign-off warning.

Applicability [D implementing an S/M rule]: Static-99R must not be scored when the person has
no Category "A" sexual offence (e.g. CSEM-only): NOT_APPLICABLE, recommending CPORT and
RM2000/S (modified) (§3.4 "Implementation rule"; R8).

Per-score recidivism norms (2016 Evaluators' Workbook) were not retrieved: no probability.

Missing items [D]: at most one item may be unknown; the score and level are then reported only
when every possible answer gives the same one, and the range is always shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from comeforward.risk.base import Computation, Instrument, Item, Value, pts, yes_no
from comeforward.risk.errors import NotApplicable

LEVELS = ("I", "II", "III", "IVA", "IVB")
LEVEL_NAMES = {
    "I": "Very low risk",
    "II": "Below average risk",
    "III": "Average risk",
    "IVA": "Above average risk",
    "IVB": "Well above average risk",
}
YES_ITEMS = (
    "index_nonsexual_violence",
    "prior_nonsexual_violence",
    "noncontact_sex_offence",
    "unrelated_victim",
    "stranger_victim",
    "male_victim",
)


@dataclass(frozen=True)
class Static99rRules:
    """Configuration — [M] values awaiting sign-off."""

    max_missing: int = 1  # [D]
    #: (minimum age at release, points), checked from the top
    age_points: tuple[tuple[float, int], ...] = ((60, -3), (40, -1), (35, 0), (18, 1))
    #: (minimum charges, points) and (minimum convictions, points); item 5 takes the higher
    charge_points: tuple[tuple[int, int], ...] = ((6, 3), (3, 2), (1, 1), (0, 0))
    conviction_points: tuple[tuple[int, int], ...] = ((4, 3), (2, 2), (1, 1), (0, 0))
    sentencing_dates_threshold: int = 4
    #: (minimum score, level), checked from the top
    levels: tuple[tuple[int, str], ...] = (
        (6, "IVB"),
        (4, "IVA"),
        (1, "III"),
        (-1, "II"),
        (-3, "I"),
    )


def _lookup(table: tuple[tuple[float, int], ...] | tuple[tuple[int, int], ...], v: float) -> int:
    for minimum, points in table:
        if v >= minimum:
            return points
    raise AssertionError("value below table")  # guarded by validation / check()


class Static99r(Instrument):
    name = "static99r"
    title = "Static-99R"
    version = "Static-99R coding rules revised 2016; 2016 risk levels; comeforward rules 1"
    citation = (
        "Phenix, A., Fernandez, Y., Harris, A. J. R., Helmus, M., Hanson, R. K., & Thornton, D. "
        "(2016). Static-99R Coding Rules, Revised 2016. Public Safety Canada. Risk levels: "
        "Hanson, Babchishin, Helmus, Thornton & Phenix (2017). comeforward research: "
        "domain-rules.md §3.4."
    )
    population = (
        "Adult males with at least one Category A sexual offence (an identifiable child or "
        "non-consenting adult victim). Not for CSEM-only cases."
    )
    min_score = -3
    max_score = 12
    bands = LEVELS
    items = (
        Item(
            "age_at_release",
            "Age at release",
            "number",
            "Age in years (decimals allowed) at release, or at assessment if in the community. "
            "18 or over.",
            confidence="M",
            candidates=(18, 35, 40, 60),
        ),
        Item(
            "lived_with_partner_2_years",
            "Ever lived with an intimate partner for 2 years",
            "bool",
            "No scores +1.",
            confidence="M",
        ),
        Item(
            "index_nonsexual_violence",
            "Index non-sexual violence (any conviction)",
            "bool",
            "Yes scores +1.",
            confidence="M",
        ),
        Item(
            "prior_nonsexual_violence",
            "Prior non-sexual violence (any conviction)",
            "bool",
            "Yes scores +1.",
            confidence="M",
        ),
        Item(
            "prior_sex_offence_charges",
            "Prior sex offences — charges",
            "int",
            "Prior charges for sex offences (excluding the index). Item 5 takes whichever of "
            "charges or convictions gives more points.",
            confidence="M",
            candidates=(0, 1, 3, 6),
        ),
        Item(
            "prior_sex_offence_convictions",
            "Prior sex offences — convictions",
            "int",
            "Prior convictions for sex offences (excluding the index).",
            confidence="M",
            candidates=(0, 1, 2, 4),
        ),
        Item(
            "prior_sentencing_dates",
            "Prior sentencing dates (excluding index)",
            "int",
            "4 or more scores +1.",
            confidence="M",
            candidates=(0, 4),
        ),
        Item(
            "noncontact_sex_offence",
            "Any conviction for a non-contact sex offence",
            "bool",
            "Yes scores +1.",
            confidence="M",
        ),
        Item("unrelated_victim", "Any unrelated victim", "bool", "Yes scores +1.", confidence="M"),
        Item("stranger_victim", "Any stranger victim", "bool", "Yes scores +1.", confidence="M"),
        Item("male_victim", "Any male victim", "bool", "Yes scores +1.", confidence="M"),
        Item(
            "has_category_a_offence",
            "Has a Category A sexual offence",
            "bool",
            "Yes if any sexual offence had an identifiable child or non-consenting adult "
            "victim (contact offences, exhibitionism, voyeurism…). CSEM possession is "
            "Category B. False → Static-99R is not applicable.",
            confidence="S (categories); M (2016 wording)",
            required=True,
            scored=False,
        ),
    )

    def __init__(self, rules: Static99rRules | None = None) -> None:
        self.rules = rules or Static99rRules()
        self.max_missing = self.rules.max_missing

    def signoff_warnings(self) -> tuple[str, ...]:
        return (
            "Static-99R item weights and 2016 risk levels are unverified ([M]) and await "
            "sign-off against the 2016 coding rules (domain-rules.md §3.4).",
        )

    def general_warnings(self) -> tuple[str, ...]:
        return (
            "Static-99R must be scored by a trained scorer using the coding manual.",
            "No probability: the 2016 Evaluators' Workbook norms have not been entered.",
        )

    def check(self, values: Mapping[str, Value]) -> None:
        if values["has_category_a_offence"] is False:
            raise NotApplicable(
                "Static-99R must not be scored without a Category A sexual offence "
                "(e.g. CSEM-only); use CPORT or RM2000/S (IIOC-modified).",
                details={
                    "instrument": self.name,
                    "reason": "NO_CATEGORY_A_OFFENCE",
                    "recommended_alternatives": ["cport", "rm2000s"],
                },
            )
        age = values["age_at_release"]
        if age is not None and age < 18:  # type: ignore[operator]
            raise NotApplicable(
                "Static-99R is for people released at 18 or over.",
                details={
                    "instrument": self.name,
                    "reason": "UNDER_18",
                    "item": "age_at_release",
                    "recommended_alternatives": ["STRUCTURED_PROFESSIONAL_JUDGEMENT"],
                },
            )

    def level(self, score: int) -> str:
        for minimum, level in self.rules.levels:
            if score >= minimum:
                return level
        raise AssertionError("score below -3")  # pragma: no cover

    def compute(self, values: Mapping[str, Value]) -> Computation:
        r = self.rules
        age = float(values["age_at_release"])  # type: ignore[arg-type]
        charges = int(values["prior_sex_offence_charges"])  # type: ignore[arg-type]
        convictions = int(values["prior_sex_offence_convictions"])  # type: ignore[arg-type]
        dates = int(values["prior_sentencing_dates"])  # type: ignore[arg-type]
        age_p = _lookup(r.age_points, age)
        charge_p = _lookup(r.charge_points, charges)
        conv_p = _lookup(r.conviction_points, convictions)
        dates_p = 1 if dates >= r.sentencing_dates_threshold else 0
        lived = values["lived_with_partner_2_years"]
        points: dict[str, int | None] = {
            "age_at_release": age_p,
            "lived_with_partner_2_years": 0 if lived else 1,
            "prior_sex_offence_charges": charge_p if charge_p >= conv_p else 0,
            "prior_sex_offence_convictions": conv_p if conv_p > charge_p else 0,
            "prior_sentencing_dates": dates_p,
            "has_category_a_offence": None,
        }
        shown_age = f"{age:g}"
        ex = {
            "age_at_release": f"Age at release {shown_age}: 18–34.9→+1, 35–39.9→0, "
            f"40–59.9→−1, 60+→−3 — {pts(age_p)}.",
            "lived_with_partner_2_years": f"Ever lived with a partner 2 years: {yes_no(lived)} "
            f"— {pts(0 if lived else 1)}.",
            "prior_sex_offence_charges": f"{charges} prior charge(s) → {pts(charge_p)}; item 5 "
            f"takes the higher of charges and convictions ({max(charge_p, conv_p)}).",
            "prior_sex_offence_convictions": f"{convictions} prior conviction(s) → "
            f"{pts(conv_p)}; counted under charges when not higher.",
            "prior_sentencing_dates": f"{dates} prior sentencing date(s): 4+→+1 — {pts(dates_p)}.",
            "has_category_a_offence": "Has a Category A sexual offence: Static-99R applies.",
        }
        for key in YES_ITEMS:
            value = values[key]
            points[key] = 1 if value else 0
            ex[key] = f"{self.item(key).label}: {yes_no(value)} — {pts(points[key])}."
        score = sum(p for p in points.values() if p is not None)
        level = self.level(score)
        return Computation(
            score,
            level,
            None,
            points,
            ex,
            {"level_name": LEVEL_NAMES[level], "prior_sex_offences_points": max(charge_p, conv_p)},
        )
