"""OSP/DC and OSP/IIC — the OASys Sexual reoffending Predictors, exactly as HMPPS publishes them.

Source (domain-rules.md §3.5, all [S]): ``ministryofjustice/hmpps-arns-risk-actuarial-api``,
``service/transformation/OSPDCTransformationHelper.kt`` (weights, bands, ``softScale``
probability), ``service/OSPDCRiskProducerService.kt`` (female rule, zero score),
``dto/ospiic/OSPIICHierarchyBand.kt`` and ``service/OSPIICRiskProducerService.kt``
(hierarchy, RSR contributions, female rule). Test vectors come from
``OSPDCTransformationHelperTest.kt``.

HMPPS uses dates; the comeforward contract (docs/interfaces.md §4) takes whole-year ages, which is
what the Kotlin code computes from those dates before weighting (``ChronoUnit.YEARS``).

[M] caveats carried as warnings: "sanctions" is taken to include cautions (so a scheme
caution is itself an IIOC sanction); the OSP/DC follow-up horizon is not stated in the code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from comeforward.risk.base import Computation, Instrument, Item, Value, pts
from comeforward.risk.errors import InconsistentItems, NotApplicable

HMPPS_REPO = "ministryofjustice/hmpps-arns-risk-actuarial-api"
OSPDC_FEMALE_PROBABILITY = 0.00383142  # OSPDCRiskProducerService.kt [S]
SPJ = "STRUCTURED_PROFESSIONAL_JUDGEMENT"

SANCTIONS_WARNING = (
    "'Sanctions' is taken to include cautions, reprimands and warnings as in OASys "
    "([M], unverified; awaits sign-off): a scheme caution would itself count as an IIOC "
    "sanction in any later OSP calculation (domain-rules.md §3.5)."
)

_SEX = Item(
    "sex",
    "Sex",
    "choice",
    "'male' or 'female'. OSP has no model for females: female → NOT_APPLICABLE.",
    choices=("male", "female"),
    required=True,
    scored=False,
)
_ADULT = Item(
    "contact_adult_sexual_sanctions",
    "Total contact adult sexual sanctions",
    "int",
    "Number of sanctions (convictions and, in OASys, cautions) for contact sexual offences "
    "against adults.",
    required=True,
)
_CHILD = Item(
    "contact_child_sexual_sanctions",
    "Total contact child sexual sanctions",
    "int",
    "Number of sanctions for contact sexual offences against children.",
    required=True,
)
_NONCONTACT = Item(
    "noncontact_sexual_sanctions",
    "Total non-contact sexual sanctions (IIOC included)",
    "int",
    "Number of sanctions for all non-contact sexual offences, IIOC sanctions included. "
    "OSP/DC scores this count minus the IIOC sanctions.",
    required=True,
)
_IIOC = Item(
    "iioc_sanctions",
    "Total IIOC sanctions",
    "int",
    "Number of sanctions for indecent images of children offences (a subset of the "
    "non-contact count).",
    required=True,
)


def _check_noncontact(values: Mapping[str, Value]) -> None:
    noncontact, iioc = values["noncontact_sexual_sanctions"], values["iioc_sanctions"]
    if noncontact is not None and iioc is not None and iioc > noncontact:  # type: ignore[operator]
        raise InconsistentItems(
            "iioc_sanctions cannot exceed noncontact_sexual_sanctions (IIOC sanctions are "
            "counted within the non-contact sanctions)",
            details={"noncontact_sexual_sanctions": noncontact, "iioc_sanctions": iioc},
        )


def _female(instrument: str, details: dict[str, object]) -> NotApplicable:
    return NotApplicable(
        f"{instrument} has no model for females (HMPPS returns NOT_APPLICABLE).",
        details={
            "instrument": instrument,
            "reason": "FEMALE_NO_MODEL",
            "recommended_alternatives": [SPJ],
            "note": "No instrument in this package is validated for women; use structured "
            "professional judgement by the independent assessor.",
            **details,
        },
    )


def ospdc_probability(score: int) -> float:
    """``getOSPDCScore``: logistic(−8.6333 + 0.1598 × score); 0 when the score is 0."""
    if score == 0:
        return 0.0
    z = -8.6333 + 0.1598 * score
    return math.exp(z) / (1 + math.exp(z))


def ospdc_band(score: int) -> str:
    """``getOSPDCBand``: 0 NOT_APPLICABLE; 1–21 LOW; 22–29 MEDIUM; 30–35 HIGH; 36–64 VERY_HIGH."""
    if score == 0:
        return "NOT_APPLICABLE"
    if score <= 21:
        return "LOW"
    if score <= 29:
        return "MEDIUM"
    if score <= 35:
        return "HIGH"
    return "VERY_HIGH"


def _three_step(n: int, step: int) -> int:
    return step * min(n, 3)


class OspDc(Instrument):
    name = "osp-dc"
    title = "OSP/DC (OASys Sexual reoffending Predictor — direct contact)"
    version = f"HMPPS {HMPPS_REPO} OSPDCTransformationHelper.kt; comeforward rules 1"
    citation = (
        "HM Prison and Probation Service, OASys Sexual reoffending Predictor (direct contact), "
        f"as implemented in {HMPPS_REPO}: service/transformation/OSPDCTransformationHelper.kt "
        "and service/OSPDCRiskProducerService.kt. comeforward research: domain-rules.md §3.5."
    )
    population = "Males aged 18+ at the start of follow-up with a sexual offence history."
    min_score = 0
    max_score = 64
    bands = ("NOT_APPLICABLE", "LOW", "MEDIUM", "HIGH", "VERY_HIGH")
    items = (
        _SEX,
        _ADULT,
        _CHILD,
        _NONCONTACT,
        _IIOC,
        Item(
            "total_sanctions",
            "Total number of sanctions (all offences)",
            "int",
            "All sanctions for any offence, at least 1.",
            minimum=1,
            required=True,
        ),
        Item(
            "age_at_start_of_followup",
            "Age at start of follow-up",
            "int",
            "Whole years at the start of follow-up (release, or sentence/caution date in the "
            "community). Must be 18 or over.",
            required=True,
        ),
        Item(
            "age_at_last_sexual_sanction",
            "Age at last sanction for a sexual offence",
            "int",
            "Whole years at the most recent sexual-offence sanction; at least 10.",
            minimum=10,
            required=True,
        ),
        Item(
            "stranger_victim",
            "Stranger victim",
            "bool",
            "Whether any victim of a sexual offence was a stranger. Unknown (null) scores 2 "
            "under the HMPPS rule.",
        ),
    )

    def general_warnings(self) -> tuple[str, ...]:
        return (
            SANCTIONS_WARNING,
            "The follow-up horizon of the OSP/DC probability is not stated in the HMPPS code "
            "([M]); HMPPS uses it as the OSP/DC contribution to RSR.",
        )

    def check(self, values: Mapping[str, Value]) -> None:
        if values["sex"] == "female":
            raise _female(
                "osp-dc",
                {"hmpps_band": "NOT_APPLICABLE", "hmpps_probability": OSPDC_FEMALE_PROBABILITY},
            )
        if values["age_at_start_of_followup"] < 18:  # type: ignore[operator]
            raise NotApplicable(
                "OSP/DC needs an age at start of follow-up of 18 or over.",
                details={
                    "instrument": "osp-dc",
                    "reason": "UNDER_18",
                    "item": "age_at_start_of_followup",
                    "recommended_alternatives": [SPJ],
                },
            )
        _check_noncontact(values)

    def official(self, values: Mapping[str, Value], outcomes: list[Computation]) -> Computation:
        """HMPPS rule [S]: an unknown stranger victim scores 2."""
        return self.compute(values)

    def compute(self, values: Mapping[str, Value]) -> Computation:
        adult = int(values["contact_adult_sexual_sanctions"])  # type: ignore[arg-type]
        child = int(values["contact_child_sexual_sanctions"])  # type: ignore[arg-type]
        noncontact = int(values["noncontact_sexual_sanctions"])  # type: ignore[arg-type]
        iioc = int(values["iioc_sanctions"])  # type: ignore[arg-type]
        total = int(values["total_sanctions"])  # type: ignore[arg-type]
        age = int(values["age_at_start_of_followup"])  # type: ignore[arg-type]
        age_last = int(values["age_at_last_sexual_sanction"])  # type: ignore[arg-type]
        stranger = values["stranger_victim"]

        excl = noncontact - iioc
        age_w = 0 if age >= 63 else 20 - age // 3
        last_w = 0 if age_last <= 15 else 5 if age_last <= 17 else 10
        stranger_w = 2 if stranger is None else 4 if stranger else 0
        points: dict[str, int | None] = {
            "sex": None,
            "contact_adult_sexual_sanctions": _three_step(adult, 5),
            "contact_child_sexual_sanctions": _three_step(child, 3),
            "noncontact_sexual_sanctions": _three_step(excl, 2),
            "iioc_sanctions": None,
            "total_sanctions": 0 if total == 1 else 6,
            "age_at_start_of_followup": age_w,
            "age_at_last_sexual_sanction": last_w,
            "stranger_victim": stranger_w,
        }
        ex = {
            "sex": "Male: OSP/DC applies.",
            "contact_adult_sexual_sanctions": f"{adult} contact adult sexual sanction(s): "
            f"0→0, 1→5, 2→10, 3+→15 — {pts(points['contact_adult_sexual_sanctions'])}.",
            "contact_child_sexual_sanctions": f"{child} contact child sexual sanction(s): "
            f"0→0, 1→3, 2→6, 3+→9 — {pts(points['contact_child_sexual_sanctions'])}.",
            "noncontact_sexual_sanctions": f"{noncontact} non-contact sanction(s) minus {iioc} "
            f"IIOC = {excl} excluding IIOC: 0→0, 1→2, 2→4, 3+→6 — "
            f"{pts(points['noncontact_sexual_sanctions'])}.",
            "iioc_sanctions": "Not scored by OSP/DC: subtracted from the non-contact count "
            "(IIOC is scored by OSP/IIC).",
            "total_sanctions": f"{total} sanction(s) in all: 1→0, 2+→6 — "
            f"{pts(points['total_sanctions'])}.",
            "age_at_start_of_followup": f"Age {age} at start of follow-up: "
            + ("63+ → 0" if age >= 63 else f"20 − floor({age}/3) = {age_w}")
            + f" — {pts(age_w)}.",
            "age_at_last_sexual_sanction": f"Age {age_last} at last sexual sanction: 10–15→0, "
            f"16–17→5, 18+→10 — {pts(last_w)}.",
            "stranger_victim": (
                "Stranger victim unknown (null): the HMPPS rule scores 2 (true 4, false 0)."
                if stranger is None
                else f"Stranger victim {'yes' if stranger else 'no'}: {pts(stranger_w)}."
            ),
        }
        score = sum(p for p in points.values() if p is not None)
        warnings: tuple[str, ...] = ()
        if score == 0:
            warnings = ("OSP/DC band not applicable, 64 point score value: 0 (HMPPS).",)
        return Computation(
            score,
            ospdc_band(score),
            ospdc_probability(score),
            points,
            ex,
            {"probability_is": "OSP/DC contribution to RSR (HMPPS softScale)"},
            warnings,
        )


@dataclass(frozen=True)
class HierarchyRule:
    code: str
    probability: float
    band_current: str
    band_earlier: str
    text: str


#: OSPIICHierarchyBand.kt — first match wins [S]. Two published versions of the bands.
OSPIIC_HIERARCHY: tuple[HierarchyRule, ...] = (
    HierarchyRule("TWO_OR_MORE_IIOC_SANCTIONS", 0.10310, "VERY_HIGH", "HIGH", "≥2 IIOC sanctions"),
    HierarchyRule("ONE_IIOC_SANCTION", 0.03328, "HIGH", "MEDIUM", "exactly 1 IIOC sanction"),
    HierarchyRule(
        "TWO_OR_MORE_CONTACT_CHILD_SEXUAL_SANCTIONS",
        0.00926,
        "MEDIUM",
        "LOW",
        "≥2 contact child sexual sanctions",
    ),
    HierarchyRule(
        "ONE_CONTACT_CHILD_SEXUAL_SANCTION",
        0.00634,
        "LOW",
        "LOW",
        "1 contact child sexual sanction",
    ),
    HierarchyRule("NO_SEXUAL_SANCTIONS", 0.00062, "LOW", "LOW", "no sexual sanctions at all"),
    HierarchyRule("ALL_OTHERS", 0.00281, "LOW", "LOW", "any other sexual sanction history"),
)


def ospiic_rule(adult: int, child: int, noncontact: int, iioc: int) -> HierarchyRule:
    """The first hierarchy rule that matches (OSPIICTransformationHelper.kt)."""
    if iioc >= 2:
        return OSPIIC_HIERARCHY[0]
    if iioc == 1:
        return OSPIIC_HIERARCHY[1]
    if child >= 2:
        return OSPIIC_HIERARCHY[2]
    if child == 1:
        return OSPIIC_HIERARCHY[3]
    if adult + child + iioc + noncontact == 0:
        return OSPIIC_HIERARCHY[4]
    return OSPIIC_HIERARCHY[5]


@dataclass(frozen=True)
class OspIicRules:
    band_version: str = "current"  # "current" or "earlier" (two versions in the HMPPS history)


class OspIic(Instrument):
    name = "osp-iic"
    title = "OSP/IIC (OASys Sexual reoffending Predictor — images and indirect contact)"
    version = f"HMPPS {HMPPS_REPO} OSPIICHierarchyBand.kt; comeforward rules 1"
    citation = (
        "HM Prison and Probation Service, OASys Sexual reoffending Predictor (indecent images "
        f"and indirect contact), as implemented in {HMPPS_REPO}: dto/ospiic/"
        "OSPIICHierarchyBand.kt, service/transformation/OSPIICTransformationHelper.kt and "
        "service/OSPIICRiskProducerService.kt. comeforward research: domain-rules.md §3.5."
    )
    population = "Males with a sexual offence history."
    # A hierarchy, not a points scale: no numeric score.
    min_score = None
    max_score = None
    bands = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
    items = (_SEX, _ADULT, _CHILD, _NONCONTACT, _IIOC)

    def __init__(self, rules: OspIicRules | None = None) -> None:
        self.rules = rules or OspIicRules()
        if self.rules.band_version not in {"current", "earlier"}:
            raise ValueError("band_version must be 'current' or 'earlier'")

    def general_warnings(self) -> tuple[str, ...]:
        return (
            SANCTIONS_WARNING,
            "OSP/IIC is a hierarchy of rules, not a points scale: score is null; the "
            "probability is the HMPPS RSR contribution of the rule that matched.",
        )

    def check(self, values: Mapping[str, Value]) -> None:
        if values["sex"] == "female":
            raise _female("osp-iic", {"hmpps_band": "NOT_APPLICABLE", "hmpps_probability": 0.0})
        _check_noncontact(values)

    def compute(self, values: Mapping[str, Value]) -> Computation:
        adult = int(values["contact_adult_sexual_sanctions"])  # type: ignore[arg-type]
        child = int(values["contact_child_sexual_sanctions"])  # type: ignore[arg-type]
        noncontact = int(values["noncontact_sexual_sanctions"])  # type: ignore[arg-type]
        iioc = int(values["iioc_sanctions"])  # type: ignore[arg-type]
        rule = ospiic_rule(adult, child, noncontact, iioc)
        band = rule.band_current if self.rules.band_version == "current" else rule.band_earlier
        ex = {
            "sex": "Male: OSP/IIC applies.",
            "iioc_sanctions": f"{iioc} IIOC sanction(s): checked first (≥2, then exactly 1).",
            "contact_child_sexual_sanctions": f"{child} contact child sexual sanction(s): "
            "checked next (≥2, then exactly 1).",
            "contact_adult_sexual_sanctions": f"{adult} contact adult sexual sanction(s): used "
            "only to tell 'no sexual sanctions' from 'all others'.",
            "noncontact_sexual_sanctions": f"{noncontact} non-contact sanction(s): used only to "
            "tell 'no sexual sanctions' from 'all others'.",
        }
        matched = f"Rule matched: {rule.code} ({rule.text})."
        for key in ex:
            ex[key] = f"{ex[key]} {matched}"
        return Computation(
            None,
            band,
            rule.probability,
            {k: None for k in ex},
            ex,
            {
                "rule": rule.code,
                "band_version": self.rules.band_version,
                "probability_is": "OSP/IIC contribution to RSR (HMPPS hierarchy)",
            },
        )
