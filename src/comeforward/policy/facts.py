"""The case facts the eligibility policy reads (domain-rules.md §4.7, E1–E13).

Every field is optional: ``None`` means *not known*, and the evaluator reports a criterion
that depends on it as ``unknown`` — a fact is never guessed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .errors import UnknownPolicyFact

Categories = ("A", "B", "C")


@dataclass(frozen=True)
class PolicyFacts:
    # E1 — age (whole years)
    age_at_caution: int | None = None
    age_at_offence: int | None = None
    # E2 — admission
    admission_recorded: bool | None = None
    admission_only_at_caution_stage: bool | None = None
    # E3 — evidence
    forensic_examination_complete: bool | None = None
    # E4 — contact offending, specific child
    contact_sexual_offending: bool | None = None
    specific_child_safeguarding_concern: bool | None = None
    # E5 — production or distribution
    production_or_distribution: bool | None = None
    # E6 — commissioning, live-streaming, grooming
    commissioning_or_live_streaming: bool | None = None
    online_sexual_communication_with_minor: bool | None = None
    # E7 — image categories (counts from the forensic examination)
    category_a_count: int | None = None
    category_b_count: int | None = None
    category_c_count: int | None = None
    # E8 — criminal history
    previous_sexual_convictions_or_cautions: bool | None = None
    other_history_violent_or_sexual: bool | None = None
    similar_caution_within_period: bool | None = None
    # E9 — access to children
    access_to_children: bool | None = None
    strategy_discussion_held: bool | None = None
    safety_plan_agreed: bool | None = None
    # E10 — working or volunteering with children
    works_or_volunteers_with_children: bool | None = None
    lado_concluded_diversion_suitable: bool | None = None
    # E11 — independent assessment ("low" | "medium" | "high" | "very_high")
    assessment_complete: bool | None = None
    assessed_risk_level: str | None = None
    # E12 — consent
    consents_to_conditions: bool | None = None
    # E13 — offences (law.Offence values)
    offences: tuple[str, ...] | None = None

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PolicyFacts:
        unknown = sorted(set(values) - set(cls.field_names()))
        if unknown:
            raise UnknownPolicyFact(
                f"Unknown policy fact(s): {', '.join(unknown)}", details={"unknown": unknown}
            )
        values = dict(values)
        if values.get("offences") is not None:
            values["offences"] = tuple(values["offences"])
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        if self.offences is not None:
            out["offences"] = list(self.offences)
        return out
