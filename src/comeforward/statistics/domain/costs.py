"""The unit-cost model (issue 14.4): officer hours and money for the scheme's cases, beside
the same people prosecuted instead. The unit costs are a file of assumptions
(``statistics/unit_costs.toml`` or the file named by ``COMEFORWARD_UNIT_COSTS``), shown with
the figures and flagged as assumptions; this module only does the arithmetic.

Scheme cost of a case = the hours and costs of the stages it actually reached. Counterfactual
= every one of those people investigated and prosecuted: investigation, file, CPS and court,
the expected sentence cost (shares × costs) and register management for the longer period.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "unit_costs.toml"


class UnitCostsInvalid(ValueError):
    """The unit-cost file is missing a value or has shares that do not add up to 1."""


@dataclass(frozen=True)
class UnitCosts:
    raw: Mapping

    @property
    def officer_hour_cost(self) -> float:
        return float(self.raw["model"]["officer_hour_cost"])

    def assumptions(self) -> list[tuple[str, str]]:
        """Every assumption, as (name, value) lines for the page."""
        lines = []
        for section, values in self.raw.items():
            if section == "sentences":
                for name, sentence in values.items():
                    lines.append(
                        (
                            f"sentences.{name}",
                            f"share {sentence['share']:.0%}, cost £{sentence['cost']:,.0f}",
                        )
                    )
                continue
            for key, value in values.items():
                lines.append((f"{section}.{key}", str(value)))
        return lines


def load(path: str | Path | None = None) -> UnitCosts:
    data = tomllib.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    for section in (
        "model",
        "scheme_hours",
        "scheme_costs",
        "prosecution_hours",
        "prosecution_costs",
        "sentences",
        "register",
    ):
        if section not in data:
            raise UnitCostsInvalid(f"unit costs: missing section [{section}]")
    shares = sum(float(s["share"]) for s in data["sentences"].values())
    if abs(shares - 1.0) > 1e-6:
        raise UnitCostsInvalid(f"unit costs: sentence shares add up to {shares}, not 1")
    return UnitCosts(data)


@dataclass(frozen=True)
class CostComparison:
    people: int
    scheme_hours: float
    scheme_cost: float
    prosecution_hours: float
    prosecution_cost: float

    @property
    def hours_saved(self) -> float:
        return self.prosecution_hours - self.scheme_hours

    @property
    def cost_saved(self) -> float:
        return self.prosecution_cost - self.scheme_cost


def compare(counts: Mapping[str, int], costs: UnitCosts) -> CostComparison:
    """``counts``: of the people the scheme diverted (``referrals`` = how many), how many
    reached each stage (``devices_examined``, ``recommended``, ``cautioned``,
    ``treatment_started``). Prosecuted and no-further-action cases cost the same either way
    and are left out by the caller."""
    h, c = costs.raw["scheme_hours"], costs.raw["scheme_costs"]
    ph, pc = costs.raw["prosecution_hours"], costs.raw["prosecution_costs"]
    reg = costs.raw["register"]
    rate = costs.officer_hour_cost
    people = counts.get("referrals", 0)
    cautioned = counts.get("cautioned", 0)
    scheme_hours = (
        people * h["intake_and_safeguarding"]
        + counts.get("devices_examined", 0) * h["forensic_triage"]
        + counts.get("recommended", 0) * (h["interview"] + h["decision"])
        + cautioned
        * (
            h["caution_administration"]
            + reg["years_if_cautioned"] * h["register_management_per_year"]
        )
    )
    scheme_cost = (
        scheme_hours * rate
        + counts.get("recommended", 0) * c["independent_assessment"]
        + counts.get("treatment_started", 0) * c["treatment_programme"]
    )
    sentence_cost = sum(
        float(s["share"]) * float(s["cost"]) for s in costs.raw["sentences"].values()
    )
    per_person_hours = (
        ph["investigation"]
        + ph["prosecution_file"]
        + reg["years_if_prosecuted"] * h["register_management_per_year"]
    )
    prosecution_hours = people * per_person_hours
    prosecution_cost = prosecution_hours * rate + people * (
        pc["full_forensic_examination"] + pc["cps_and_court"] + sentence_cost
    )
    return CostComparison(
        people=people,
        scheme_hours=round(scheme_hours, 1),
        scheme_cost=round(scheme_cost, 2),
        prosecution_hours=round(prosecution_hours, 1),
        prosecution_cost=round(prosecution_cost, 2),
    )
