"""RM2000/S — Risk Matrix 2000, sexual scale (Thornton et al. 2003; scoring guide Feb 2007).

Implements domain-rules.md §3.3. The whole scoring table is [M] (well established but not
confirmed from the guide in the research session), so every number lives in ``Rm2000Rules``
and each result carries a sign-off warning:

* Step 1 points: age at commencement of risk (18–24 = 2, 25–34 = 1, 35+ = 0); sexual
  appearances (1 = 0, 2 = 1, 3–4 = 2, 5+ = 3); criminal appearances (≤4 = 0, 5+ = 1).
  Total 0–6 → LOW (0), MEDIUM (1–2), HIGH (3–4), VERY_HIGH (5–6).
* Step 2 aggravating factors (male victim, stranger victim, never married, non-contact
  conviction): 2–3 raise one category, 4 raise two, capped at VERY_HIGH.
* IIOC modification (Wakeling, Howard & Barnett 2011; exact rule [M]): with
  ``iioc_modified`` true (the default), the non-contact, male-victim and stranger-victim
  factors are not scored, because for someone whose sexual convictions are all IIOC offences
  they would come from image content, not from an identifiable victim. Set it false for anyone
  with a contact or other non-contact sexual conviction.
* 19-year sexual reconviction rates per band (Low 7%, Medium 19%, High 36%, Very High 59%)
  are [M] and come from contact-offender samples: they overstate CSEM-only risk.

Scope [S]: males aged 18+ convicted of a sexual offence committed after age 16; "not intended
for use with alleged offenders" (University of Birmingham resources page).

Missing items [D]: the three step-1 items are required (the score is built from them); the
aggravating factors may be unknown, and the band is then reported only when every possible
answer gives the same band.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from comeforward.risk.base import Computation, Instrument, Item, Value, pts, yes_no
from comeforward.risk.errors import InconsistentItems, NotApplicable

CATEGORIES = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
FACTORS = ("male_victim", "stranger_victim", "never_married", "noncontact_conviction")
IIOC_EXCLUDED = ("male_victim", "stranger_victim", "noncontact_conviction")


@dataclass(frozen=True)
class Rm2000Rules:
    """Configuration — every value here is [M] and awaits sign-off."""

    #: (minimum age, points), checked from the top
    age_points: tuple[tuple[int, int], ...] = ((35, 0), (25, 1), (18, 2))
    #: (minimum sexual appearances, points), checked from the top
    sexual_points: tuple[tuple[int, int], ...] = ((5, 3), (3, 2), (2, 1), (1, 0))
    criminal_threshold: int = 5
    #: step-1 points 0..6 → category index
    category_by_points: tuple[int, ...] = (0, 1, 1, 2, 2, 3, 3)
    #: number of aggravating factors → categories raised
    raise_by_factors: tuple[int, ...] = (0, 0, 1, 1, 2)
    rates_19_year: Mapping[str, float] = field(
        default_factory=lambda: {"LOW": 0.07, "MEDIUM": 0.19, "HIGH": 0.36, "VERY_HIGH": 0.59}
    )


def _lookup(table: tuple[tuple[int, int], ...], value: int) -> int:
    for minimum, points in table:
        if value >= minimum:
            return points
    raise AssertionError("value below table")  # guarded by check()


class Rm2000s(Instrument):
    name = "rm2000s"
    title = "RM2000/S (Risk Matrix 2000 — sexual scale)"
    version = "Thornton et al. 2003; scoring guide Feb 2007; comeforward rules 1"
    citation = (
        "Thornton, D., Mann, R., Webster, S., Blud, L., Travers, R., Friendship, C., & "
        "Erikson, M. (2003). Distinguishing and combining risks for sexual and violent "
        "recidivism. Annals of the New York Academy of Sciences, 989, 225–235. Scoring Guide "
        "for Risk Matrix 2000.9/SVC (Thornton, Feb 2007). IIOC modification: Wakeling, Howard "
        "& Barnett (2011). comeforward research: domain-rules.md §3.3."
    )
    population = (
        "Males aged 18+ convicted of a sexual offence committed after age 16; not intended for "
        "alleged offenders. Appropriate for CSEM-only convictions (SAARNA)."
    )
    min_score = 0
    max_score = 6
    bands = CATEGORIES
    items = (
        Item(
            "age",
            "Age at commencement of risk",
            "int",
            "Whole years at release, or at assessment if in the community. 18 or over.",
            confidence="M",
            required=True,
        ),
        Item(
            "sexual_appearances",
            "Sexual appearances",
            "int",
            "Separate court or caution occasions for sexual offences, including the index. "
            "At least 1 (the index caution or conviction).",
            confidence="M",
            required=True,
        ),
        Item(
            "criminal_appearances",
            "Criminal appearances",
            "int",
            "Separate court or caution occasions for any offence, including the index (so at "
            "least the number of sexual appearances).",
            confidence="M",
            required=True,
        ),
        Item(
            "male_victim",
            "Any sexual offence against a male",
            "bool",
            "Aggravating factor. Not scored under the IIOC modification.",
            confidence="M",
        ),
        Item(
            "stranger_victim",
            "Any sexual offence against a stranger",
            "bool",
            "Aggravating factor. Not scored under the IIOC modification.",
            confidence="M",
        ),
        Item(
            "never_married",
            "Single, never married",
            "bool",
            "Aggravating factor: never lived with an adult partner for 2 years or more.",
            confidence="M",
        ),
        Item(
            "noncontact_conviction",
            "Any conviction for a non-contact sexual offence",
            "bool",
            "Aggravating factor. Not scored under the IIOC modification.",
            confidence="M",
        ),
        Item(
            "iioc_modified",
            "Apply the IIOC modification",
            "bool",
            "True (default) when every sexual conviction is an IIOC offence: the male-victim, "
            "stranger-victim and non-contact factors are then not scored. Set false otherwise.",
            confidence="M",
            required=True,
            scored=False,
            default=True,
        ),
    )

    def __init__(self, rules: Rm2000Rules | None = None) -> None:
        self.rules = rules or Rm2000Rules()

    def signoff_warnings(self) -> tuple[str, ...]:
        return (
            "RM2000/S item points, category thresholds, step-2 raise rule and band rates are "
            "unverified ([M]) and await sign-off against the Feb 2007 scoring guide "
            "(domain-rules.md §3.3).",
        )

    def general_warnings(self) -> tuple[str, ...]:
        return (
            "RM2000 'is not intended for use with alleged offenders' (University of "
            "Birmingham): a self-referrer before caution is outside its scope.",
            "The probability is the 19-year sexual reconviction rate for the band in a "
            "contact-offender sample (n = 429); it overstates CSEM-only risk.",
        )

    def check(self, values: Mapping[str, Value]) -> None:
        age, sexual, criminal = (
            values["age"],
            values["sexual_appearances"],
            values["criminal_appearances"],
        )
        if age < 18:  # type: ignore[operator]
            raise NotApplicable(
                "RM2000/S is for people aged 18 or over.",
                details={
                    "instrument": self.name,
                    "reason": "UNDER_18",
                    "item": "age",
                    "recommended_alternatives": ["STRUCTURED_PROFESSIONAL_JUDGEMENT"],
                },
            )
        if sexual == 0:
            raise NotApplicable(
                "RM2000/S needs at least one sexual appearance (the index caution or "
                "conviction); it is not for alleged offenders.",
                details={
                    "instrument": self.name,
                    "reason": "NO_SEXUAL_SANCTION",
                    "item": "sexual_appearances",
                    "recommended_alternatives": ["STRUCTURED_PROFESSIONAL_JUDGEMENT"],
                },
            )
        if criminal < sexual:  # type: ignore[operator]
            raise InconsistentItems(
                "criminal_appearances includes the sexual appearances, so it cannot be smaller",
                details={"sexual_appearances": sexual, "criminal_appearances": criminal},
            )

    def missing_keys(self, values: Mapping[str, Value]) -> list[str]:
        """Unknown factors count as missing only when they could change the band."""
        excluded = IIOC_EXCLUDED if values["iioc_modified"] else ()
        return [k for k in FACTORS if values[k] is None and k not in excluded]

    def null_explanation(self, key: str, low: int | None, high: int | None) -> str:
        return (
            "Not known (null): an aggravating factor that may or may not be present; "
            "see possible_bands."
        )

    def compute(self, values: Mapping[str, Value]) -> Computation:
        r = self.rules
        age = int(values["age"])  # type: ignore[arg-type]
        sexual = int(values["sexual_appearances"])  # type: ignore[arg-type]
        criminal = int(values["criminal_appearances"])  # type: ignore[arg-type]
        modified = bool(values["iioc_modified"])
        age_p = _lookup(r.age_points, age)
        sex_p = _lookup(r.sexual_points, sexual)
        crim_p = 1 if criminal >= r.criminal_threshold else 0
        step1 = age_p + sex_p + crim_p
        prelim = r.category_by_points[step1]

        points: dict[str, int | None] = {
            "age": age_p,
            "sexual_appearances": sex_p,
            "criminal_appearances": crim_p,
            "iioc_modified": None,
        }
        ex = {
            "age": f"Age {age}: 18–24→2, 25–34→1, 35+→0 — {pts(age_p)}.",
            "sexual_appearances": f"{sexual} sexual appearance(s): 1→0, 2→1, 3–4→2, 5+→3 — "
            f"{pts(sex_p)}.",
            "criminal_appearances": f"{criminal} criminal appearance(s): ≤4→0, 5+→1 — "
            f"{pts(crim_p)}.",
            "iioc_modified": (
                "IIOC modification applied: male-victim, stranger-victim and non-contact "
                "factors are not scored."
                if modified
                else "IIOC modification not applied: all four aggravating factors are scored."
            ),
        }
        counted = []
        for key in FACTORS:
            value = values[key]
            label = self.item(key).label
            points[key] = None  # step-2 factors raise the category; they earn no points
            if modified and key in IIOC_EXCLUDED:
                shown = "unknown" if value is None else yes_no(value)
                ex[key] = f"{label}: {shown} — not scored under the IIOC modification."
            else:
                ex[key] = f"{label}: {yes_no(value)} — " + (
                    "aggravating factor present." if value else "not present."
                )
                if value:
                    counted.append(key)
        raised = r.raise_by_factors[len(counted)]
        final = min(len(CATEGORIES) - 1, prelim + raised)
        band = CATEGORIES[final]
        return Computation(
            step1,
            band,
            r.rates_19_year.get(band),
            points,
            ex,
            {
                "preliminary_band": CATEGORIES[prelim],
                "aggravating_factors": counted,
                "categories_raised": final - prelim,
                "iioc_modified": modified,
                "probability_is": "19-year sexual reconviction rate for the band [M]",
            },
        )
