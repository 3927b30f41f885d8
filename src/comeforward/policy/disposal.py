"""The disposal rules of a policy file (pure Python; no Django): which disposals exist, what
each must record before it is given, and which allow a breach to go to prosecution.

Research: domain-rules.md §2.2 (simple caution), §2.3 (conditional caution, CJA 2003
ss.22–27: the five s.23 requirements, breach → prosecution for the original offence under
s.24), §2.4 (diversionary caution, PCSC Act 2022 Part 6 — prospective), §2.6 and §4.8. The
rules live in the ``[disposals]`` section of ``policies/<version>.toml`` so that a force can
switch on the diversionary caution when it commences, without a code change
(docs/disposals.md)::

    rules = load_disposal_rules()
    rules.type("conditional_caution").breach_route      # "prosecute_original_offence"
    check_caution(rules, kind="simple_caution", condition_kinds=[],
                  treatment_required=True, requirements={...})   # → [Problem(...)]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from .document import DEFAULT_VERSION, POLICY_DIR
from .errors import PolicyInvalid, PolicyNotFound

#: The five requirements of CJA 2003 s.23 (and PCSC Act 2022 s.99(2)), in statutory order.
REQUIREMENTS: dict[str, str] = {
    "evidence": "There is sufficient evidence to charge the person with the offence",
    "authorised_decision": "An authorised decision-maker decided that there is sufficient "
    "evidence to charge and that a caution should be given",
    "admission": "The person admitted the offence (recorded in interview, not only at the "
    "cautioning stage)",
    "explanation_and_warning": "The effect of the caution was explained and the person was "
    "warned that failing a condition may lead to prosecution for the offence",
    "signed_consent": "The person signed a document setting out the offence, the admission, "
    "their consent to the caution and the conditions",
}

BREACH_ROUTES = {
    "none": "No breach route",
    "prosecute_original_offence": "Prosecution for the original offence",
}
LAW_DISPOSALS = frozenset({"simple_caution", "conditional_caution"})


@dataclass(frozen=True)
class DisposalType:
    kind: str
    label: str
    statute: str
    outcome_code: str
    law_disposal: str
    commenced: bool
    available: bool
    conditions: bool
    breach_route: str
    breach_text: str
    requirements: tuple[str, ...]
    sources: str
    confidence: str
    needs_signoff: bool
    commencement_note: str = ""

    @property
    def allows_breach_prosecution(self) -> bool:
        return self.breach_route == "prosecute_original_offence"


@dataclass(frozen=True)
class DisposalRules:
    version: str
    treatment_condition: str
    treatment_rule: str
    types: dict[str, DisposalType]

    def type(self, kind: str) -> DisposalType | None:
        return self.types.get(kind)

    def available(self) -> list[DisposalType]:
        return [t for t in self.types.values() if t.available]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str = ""


def load_disposal_rules(version: str = DEFAULT_VERSION) -> DisposalRules:
    path = POLICY_DIR / f"{version}.toml"
    if "/" in version or not path.is_file():
        raise PolicyNotFound(f"No policy version {version!r}", details={"version": version})
    return parse_disposal_rules(path.read_text(encoding="utf-8"), version=version)


def parse_disposal_rules(text: str, *, version: str = "") -> DisposalRules:
    """Parse and validate the ``[disposals]`` section; ``PolicyInvalid`` names what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid(f"The policy is not valid TOML: {exc}") from exc
    section = raw.get("disposals")
    if not isinstance(section, dict):
        raise PolicyInvalid("The policy has no [disposals] section")
    for key in ("treatment_condition", "treatment_rule"):
        if not isinstance(section.get(key), str):
            raise PolicyInvalid(f"[disposals] lacks {key}", details={"missing": key})
    tables = section.get("types")
    if not isinstance(tables, dict) or not tables:
        raise PolicyInvalid("[disposals] defines no disposal types")
    types = {kind: _disposal_type(kind, table) for kind, table in tables.items()}
    version = version or str(raw.get("policy", {}).get("version", ""))
    return DisposalRules(
        version=version,
        treatment_condition=section["treatment_condition"],
        treatment_rule=section["treatment_rule"],
        types=types,
    )


_TEXT_KEYS = ("label", "statute", "outcome_code", "law_disposal", "breach_text", "sources")
_BOOL_KEYS = ("commenced", "available", "conditions", "needs_signoff")


def _disposal_type(kind: str, table: Any) -> DisposalType:
    where = {"disposal": kind}
    if not isinstance(table, dict):
        raise PolicyInvalid(f"disposal {kind} must be a table", details=where)
    for key in (*_TEXT_KEYS, "confidence", "breach_route"):
        if not isinstance(table.get(key), str):
            raise PolicyInvalid(f"disposal {kind} lacks {key}", details={**where, "missing": key})
    for key in _BOOL_KEYS:
        if not isinstance(table.get(key), bool):
            raise PolicyInvalid(
                f"disposal {kind}: {key} must be true or false", details={**where, "key": key}
            )
    if table["breach_route"] not in BREACH_ROUTES:
        raise PolicyInvalid(
            f"disposal {kind}: breach_route must be one of {sorted(BREACH_ROUTES)}", details=where
        )
    if table["breach_route"] == "prosecute_original_offence" and not table["conditions"]:
        raise PolicyInvalid(
            f"disposal {kind}: only a disposal with conditions can be breached", details=where
        )
    if table["law_disposal"] not in LAW_DISPOSALS:
        raise PolicyInvalid(
            f"disposal {kind}: law_disposal must be one of {sorted(LAW_DISPOSALS)}", details=where
        )
    if table["available"] and not table["commenced"]:
        raise PolicyInvalid(
            f"disposal {kind} is not in force (commenced = false) and cannot be available",
            details=where,
        )
    if table["confidence"] not in ("S", "M", "D"):
        raise PolicyInvalid(f"disposal {kind}: confidence must be S, M or D", details=where)
    if table["confidence"] in ("M", "D") and not table["needs_signoff"]:
        raise PolicyInvalid(
            f"disposal {kind} rests on an unverified source: needs_signoff must be true",
            details=where,
        )
    requirements = table.get("requirements")
    if not isinstance(requirements, list) or not requirements:
        raise PolicyInvalid(f"disposal {kind} lists no requirements", details=where)
    unknown = sorted(set(requirements) - set(REQUIREMENTS))
    if unknown:
        raise PolicyInvalid(
            f"disposal {kind} names unknown requirements {unknown}",
            details={**where, "unknown": unknown},
        )
    return DisposalType(
        kind=kind,
        label=table["label"],
        statute=table["statute"],
        outcome_code=table["outcome_code"],
        law_disposal=table["law_disposal"],
        commenced=table["commenced"],
        available=table["available"],
        conditions=table["conditions"],
        breach_route=table["breach_route"],
        breach_text=table["breach_text"],
        requirements=tuple(requirements),
        sources=table["sources"],
        confidence=table["confidence"],
        needs_signoff=table["needs_signoff"],
        commencement_note=str(table.get("commencement_note", "")),
    )


def check_caution(
    rules: DisposalRules,
    *,
    kind: str,
    condition_kinds: list[str],
    treatment_required: bool | None,
    requirements: dict[str, bool],
) -> list[Problem]:
    """Every reason the disposal cannot be given as described (empty when it can).

    ``treatment_required`` is ``None`` when no treatment pathway is on record: it is then
    treated as required (fail closed: the stricter disposal)."""
    disposal = rules.type(kind)
    if disposal is None or not disposal.available:
        note = disposal.commencement_note if disposal else ""
        return [
            Problem(
                "DISPOSAL_NOT_AVAILABLE",
                f"This disposal is not available under policy {rules.version}"
                + (f": {note}" if note else ""),
                "kind",
            )
        ]
    problems: list[Problem] = []
    name = disposal.label.split(" (")[0].lower()
    if not disposal.conditions and condition_kinds:
        problems.append(Problem("DISPOSAL_TAKES_NO_CONDITIONS", f"A {name} has no conditions"))
    if disposal.conditions and not condition_kinds:
        problems.append(
            Problem("DISPOSAL_NEEDS_CONDITIONS", f"A {name} needs at least one condition")
        )
    if treatment_required is not False:
        why = (
            "The independent assessment chose a treatment pathway"
            if treatment_required
            else "No treatment pathway is on record, so treatment is treated as required"
        )
        if not disposal.conditions:
            problems.append(
                Problem(
                    "TREATMENT_NEEDS_CONDITIONAL_CAUTION",
                    f"{why}: treatment can be required only as a condition, so give a "
                    "conditional caution with the treatment condition",
                    "kind",
                )
            )
        elif rules.treatment_condition not in condition_kinds:
            problems.append(
                Problem(
                    "TREATMENT_CONDITION_MISSING",
                    f"{why}: add the condition to attend and complete the treatment programme",
                )
            )
    for name in disposal.requirements:
        if not requirements.get(name):
            problems.append(Problem("CAUTION_REQUIREMENT_MISSING", REQUIREMENTS[name], name))
    return problems


def breach_route(rules: DisposalRules, kind: str) -> str:
    """The breach route of a disposal kind; an unknown kind has none (fail closed)."""
    disposal = rules.type(kind)
    return disposal.breach_route if disposal else "none"
