"""The case facts the eligibility policy reads (domain-rules.md §4.7, E1–E13).

Every field is optional: ``None`` means *not known*, and the evaluator reports a criterion
that depends on it as ``unknown`` — a fact is never guessed, and an unknown fact never makes a
criterion ``met`` (fail closed). :data:`FACT_SPECS` says, for each fact, its type, what
``None`` means and who supplies it (the role the recommendation names when it is missing);
``docs/policy-evaluate.md`` is the same table for people.

:meth:`PolicyFacts.from_dict` validates a JSON-like mapping (the ``comeforward policy
evaluate`` input) and refuses, with a stable code, anything that is not a known fact of the
right type.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .errors import (
    InvalidPolicyFactValue,
    NegativePolicyFactValue,
    UnknownPolicyFact,
    UnknownPolicyOffence,
    WrongPolicyFactType,
)

Categories = ("A", "B", "C")
RISK_LEVELS = ("low", "medium", "high", "very_high")

#: The offences the policy knows (``comeforward.law.Offence`` values; domain-rules.md §1.2).
#: An offence outside this list is refused on input (``UNKNOWN_OFFENCE``); a known offence that
#: the policy file does not list as eligible makes E13 ``not_met``.
KNOWN_OFFENCES = ("PCA1978_S1", "CEMA1979_S170", "CJA1988_S160", "CJA2009_S62")

# Who supplies a fact (the role named when it is missing).
SUPERVISOR = "supervisor"
INVESTIGATOR = "investigator (interview)"
EXAMINER = "forensic examiner"
SAFEGUARDING = "safeguarding officer"
ASSESSOR = "independent assessor"
CASEWORKER = "caseworker (person record)"


@dataclass(frozen=True)
class FactSpec:
    """What a fact is: its JSON type, what unknown (``null``) means, and who supplies it."""

    type: str
    supplied_by: str
    meaning: str
    unknown: str = "not known: every criterion that reads it is unknown, never met"


FACT_SPECS: dict[str, FactSpec] = {
    "age_at_caution": FactSpec(
        "integer ≥ 0", CASEWORKER, "The person's age in whole years on the date of the caution."
    ),
    "age_at_offence": FactSpec(
        "integer ≥ 0",
        CASEWORKER,
        "Age in whole years at the time of the (last) offence (Sch 3 para 95(b)).",
    ),
    "admission_recorded": FactSpec(
        "boolean", INVESTIGATOR, "A full, reliable admission is recorded in interview."
    ),
    "admission_only_at_caution_stage": FactSpec(
        "boolean", INVESTIGATOR, "The admission was obtained only at the cautioning stage."
    ),
    "forensic_examination_complete": FactSpec(
        "boolean", EXAMINER, "Every device handed over has been forensically examined."
    ),
    "ungraded_item_count": FactSpec(
        "integer ≥ 0",
        EXAMINER,
        "Ungraded material: unmatched images and videos plus matched-but-uncategorised items "
        "on the examinations, not yet graded A/B/C by an examiner.",
    ),
    "ungraded_sample_review_certified": FactSpec(
        "boolean",
        EXAMINER,
        "An examiner has certified a reasoned sample review of the ungraded material.",
        "not known: treated as not certified — ungraded material blocks E3 and E7",
    ),
    "contact_sexual_offending": FactSpec(
        "boolean",
        SUPERVISOR,
        "Any contact sexual offending: conviction, caution, charge, credible allegation, "
        "self-report, or a contact-offending indicator found on the devices.",
    ),
    "specific_child_safeguarding_concern": FactSpec(
        "boolean", SAFEGUARDING, "A current safeguarding concern about a specific child."
    ),
    "production_or_distribution": FactSpec(
        "boolean",
        EXAMINER,
        "Production (e.g. camera originals) or distribution (file sharing, sent items) found "
        "or admitted.",
    ),
    "commissioning_or_live_streaming": FactSpec(
        "boolean", INVESTIGATOR, "Directed or paid for abuse, or live-streaming."
    ),
    "online_sexual_communication_with_minor": FactSpec(
        "boolean", INVESTIGATOR, "Online sexual communication with a child (CASIC item f)."
    ),
    "category_a_count": FactSpec("integer ≥ 0", EXAMINER, "Category A images graded."),
    "category_b_count": FactSpec("integer ≥ 0", EXAMINER, "Category B images graded."),
    "category_c_count": FactSpec("integer ≥ 0", EXAMINER, "Category C images graded."),
    "previous_sexual_convictions_or_cautions": FactSpec(
        "boolean", SUPERVISOR, "Previous sexual convictions or cautions (PNC check)."
    ),
    "other_history_violent_or_sexual": FactSpec(
        "boolean", SUPERVISOR, "Other criminal history that is violent or sexual."
    ),
    "similar_caution_within_period": FactSpec(
        "boolean", SUPERVISOR, "A similar caution within the policy's period."
    ),
    "access_to_children": FactSpec(
        "boolean",
        SAFEGUARDING,
        "Lives with, or has family, household or unsupervised access to, children — the most "
        "restrictive answer of every source.",
    ),
    "strategy_discussion_held": FactSpec(
        "boolean",
        SAFEGUARDING,
        "A strategy discussion has been held (needed only with access to children).",
    ),
    "safety_plan_agreed": FactSpec(
        "boolean",
        SAFEGUARDING,
        "A safety plan is agreed with children's social care (needed only with access).",
    ),
    "works_or_volunteers_with_children": FactSpec(
        "boolean", SAFEGUARDING, "Works or volunteers with children."
    ),
    "lado_concluded_diversion_suitable": FactSpec(
        "boolean",
        SAFEGUARDING,
        "The LADO process concluded diversion is suitable (needed only if working with children).",
    ),
    "assessment_complete": FactSpec(
        "boolean", ASSESSOR, "The independent risk assessment is complete."
    ),
    "assessed_risk_level": FactSpec(
        "string: low | medium | high | very_high",
        ASSESSOR,
        "The overall risk level from the independent assessment.",
    ),
    "consents_to_conditions": FactSpec(
        "boolean", INVESTIGATOR, "The person consents to the conditions."
    ),
    "offences": FactSpec(
        "array of offence codes: " + " | ".join(KNOWN_OFFENCES),
        INVESTIGATOR,
        "The offences admitted (law engine offence codes).",
        "not known (null or empty): E13 is unknown",
    ),
}

#: Facts whose adverse value excludes diversion (a criterion ``not_met``) — never unknown for
#: a diversion. ``True`` is the adverse value of each.
EXCLUSION_FACTS = (
    "contact_sexual_offending",
    "specific_child_safeguarding_concern",
    "production_or_distribution",
    "commissioning_or_live_streaming",
    "online_sexual_communication_with_minor",
    "previous_sexual_convictions_or_cautions",
    "other_history_violent_or_sexual",
    "similar_caution_within_period",
)
#: Facts needed only when another fact has a value: ``{fact: (parent, parent value)}``.
CONDITIONAL_FACTS = {
    "strategy_discussion_held": ("access_to_children", True),
    "safety_plan_agreed": ("access_to_children", True),
    "lado_concluded_diversion_suitable": ("works_or_volunteers_with_children", True),
    "ungraded_sample_review_certified": ("ungraded_item_count", "> 0"),
}

_INT_FACTS = {
    "age_at_caution",
    "age_at_offence",
    "ungraded_item_count",
    "category_a_count",
    "category_b_count",
    "category_c_count",
}
_MAX_INT = 10**12


@dataclass(frozen=True)
class PolicyFacts:
    # E1 — age (whole years)
    age_at_caution: int | None = None
    age_at_offence: int | None = None
    # E2 — admission
    admission_recorded: bool | None = None
    admission_only_at_caution_stage: bool | None = None
    # E3 — evidence (and E7: ungraded material)
    forensic_examination_complete: bool | None = None
    ungraded_item_count: int | None = None
    ungraded_sample_review_certified: bool | None = None
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
    def from_dict(cls, values: Any) -> PolicyFacts:
        """Validated facts from a mapping; ``null`` (or a missing key) is *not known*."""
        if not isinstance(values, dict):
            raise WrongPolicyFactType(
                "The facts must be a JSON object", details={"expected": "object"}
            )
        unknown = sorted(set(values) - set(cls.field_names()))
        if unknown:
            raise UnknownPolicyFact(
                f"Unknown policy fact(s): {', '.join(unknown)}",
                details={"unknown": unknown, "allowed": list(cls.field_names())},
            )
        clean = {name: _validate(name, value) for name, value in values.items()}
        return cls(**clean)

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        if self.offences is not None:
            out["offences"] = list(self.offences)
        return out


def _wrong(name: str, expected: str, value: Any) -> WrongPolicyFactType:
    return WrongPolicyFactType(
        f"{name} must be {expected} or null",
        details={"field": name, "expected": expected, "got": type(value).__name__},
    )


def _validate(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _INT_FACTS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(name, "an integer", value)
        if value < 0:
            raise NegativePolicyFactValue(
                f"{name} must not be negative", details={"field": name, "value": value}
            )
        if value > _MAX_INT:
            raise InvalidPolicyFactValue(
                f"{name} is implausibly large", details={"field": name, "maximum": _MAX_INT}
            )
        return value
    if name == "assessed_risk_level":
        if not isinstance(value, str):
            raise _wrong(name, "a string", value)
        if value not in RISK_LEVELS:
            raise InvalidPolicyFactValue(
                f"{name} must be one of {', '.join(RISK_LEVELS)}",
                details={"field": name, "value": value, "allowed": list(RISK_LEVELS)},
            )
        return value
    if name == "offences":
        if not isinstance(value, list | tuple):
            raise _wrong(name, "an array of offence codes", value)
        for item in value:
            if not isinstance(item, str):
                raise _wrong(name, "an array of offence codes", item)
            if item not in KNOWN_OFFENCES:
                raise UnknownPolicyOffence(
                    f"Unknown offence {item!r}",
                    details={"field": name, "value": item, "allowed": list(KNOWN_OFFENCES)},
                )
        return tuple(value)
    if not isinstance(value, bool):
        raise _wrong(name, "true or false", value)
    return value


assert set(FACT_SPECS) == set(PolicyFacts.field_names())


#: For each fact, which way is *more restrictive* (further from diversion) when sources
#: disagree (issue 12.3): ``"true"`` — true wins (an adverse finding); ``"false"`` — false wins
#: (a safeguard or step not confirmed); ``"max"``/``"min"`` — the larger/smaller number;
#: ``"risk"`` — the higher risk level; ``"union"`` — every offence any source names.
RESTRICTIVE: dict[str, str] = {
    "age_at_caution": "min",
    "age_at_offence": "min",
    "admission_recorded": "false",
    "admission_only_at_caution_stage": "true",
    "forensic_examination_complete": "false",
    "ungraded_item_count": "max",
    "ungraded_sample_review_certified": "false",
    "category_a_count": "max",
    "category_b_count": "max",
    "category_c_count": "max",
    "access_to_children": "true",
    "strategy_discussion_held": "false",
    "safety_plan_agreed": "false",
    "works_or_volunteers_with_children": "true",
    "lado_concluded_diversion_suitable": "false",
    "assessment_complete": "false",
    "assessed_risk_level": "risk",
    "consents_to_conditions": "false",
    "offences": "union",
    **dict.fromkeys(EXCLUSION_FACTS, "true"),
}
assert set(RESTRICTIVE) == set(FACT_SPECS)


def most_restrictive(name: str, values: list[Any]) -> Any:
    """The most restrictive of the known values several sources give for one fact (``None``
    values are ignored; ``None`` if no source knows). Never more favourable to diversion than
    any single source."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    rule = RESTRICTIVE[name]
    if rule == "true":
        return any(known)
    if rule == "false":
        return all(known)
    if rule == "max":
        return max(known)
    if rule == "min":
        return min(known)
    if rule == "risk":
        return max(known, key=RISK_LEVELS.index)
    merged: list[str] = []
    for offences in known:
        for code in offences:
            if code not in merged:
                merged.append(code)
    return tuple(merged)
