"""Evaluate the eligibility policy (E1–E13, domain-rules.md §4.7) against a case's facts.

``evaluate(facts, policy)`` gives a :class:`Recommendation`: each criterion ``met``,
``not_met`` or ``unknown`` with the rule text as it is in the policy file, the facts it used
and the thresholds it applied; and an overall recommendation:

* ``prosecute`` — a criterion is not met (the person is not eligible for diversion);
* ``insufficient_information`` — nothing excludes the person, but something is not known;
* ``divert`` — every criterion is met.

Exclusions win over unknowns: one known exclusion is enough, whatever else is unknown. The
recommendation is advisory (domain-rules.md §3, general caution 1): a supervisor decides.

Fail closed (issue 12.1): a criterion is ``met`` only when every fact it reads is known and
favourable, and the evidence it rests on is complete. Ungraded material (unmatched or
uncategorised items, issue 12.2) keeps E3 and E7 ``unknown`` until it is graded or an
examiner certifies a reasoned sample review. Every ``unknown`` names the missing facts and who
supplies them (:data:`~comeforward.policy.facts.FACT_SPECS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .document import CRITERIA_CODES, Policy, load_policy
from .facts import FACT_SPECS, PolicyFacts

ADVISORY = (
    "Advisory: the policy recommends, a supervisor decides and records the reason "
    "(domain-rules.md §4.7; ARCHITECTURE.md)."
)


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    DIVERT = "divert"
    PROSECUTE = "prosecute"
    INSUFFICIENT_INFORMATION = "insufficient_information"


OUTCOME_LABELS = {
    Outcome.DIVERT: "Divert (caution and conditions)",
    Outcome.PROSECUTE: "Not eligible: refer for prosecution",
    Outcome.INSUFFICIENT_INFORMATION: "Insufficient information",
}


@dataclass(frozen=True)
class Finding:
    status: Status
    explanation: str
    used: tuple[str, ...]
    flags: tuple[str, ...] = ()
    #: The facts whose absence keeps the criterion ``unknown`` (never set when met).
    missing: tuple[str, ...] = ()


def missing_fact(name: str) -> dict[str, str]:
    spec = FACT_SPECS[name]
    return {"fact": name, "supplied_by": spec.supplied_by, "meaning": spec.meaning}


@dataclass(frozen=True)
class CriterionResult:
    code: str
    title: str
    text: str
    sources: str
    confidence: str
    needs_signoff: bool
    status: Status
    explanation: str
    facts: dict[str, Any]
    thresholds: dict[str, Any]
    flags: tuple[str, ...]
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "text": self.text,
            "sources": self.sources,
            "confidence": self.confidence,
            "needs_signoff": self.needs_signoff,
            "status": self.status.value,
            "explanation": self.explanation,
            "reason": self.explanation,
            "facts": self.facts,
            "thresholds": self.thresholds,
            "flags": list(self.flags),
            "source_facts": list(self.facts),
            "missing": [missing_fact(name) for name in self.missing],
        }


@dataclass(frozen=True)
class Recommendation:
    policy_name: str
    policy_version: str
    outcome: Outcome
    criteria: tuple[CriterionResult, ...]

    @property
    def fired(self) -> list[str]:
        """Codes of the criteria not met (the rules that exclude diversion)."""
        return [c.code for c in self.criteria if c.status == Status.NOT_MET]

    @property
    def unknown(self) -> list[str]:
        return [c.code for c in self.criteria if c.status == Status.UNKNOWN]

    @property
    def flags(self) -> list[str]:
        return [flag for c in self.criteria for flag in c.flags]

    @property
    def awaiting_signoff(self) -> list[str]:
        return [c.code for c in self.criteria if c.needs_signoff]

    @property
    def missing(self) -> list[dict[str, str]]:
        """Each missing fact once, with who supplies it, in criterion order."""
        seen: dict[str, dict[str, str]] = {}
        for c in self.criteria:
            for name in c.missing:
                seen.setdefault(name, missing_fact(name))
        return list(seen.values())

    def criterion(self, code: str) -> CriterionResult:
        return next(c for c in self.criteria if c.code == code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": {"name": self.policy_name, "version": self.policy_version},
            "outcome": self.outcome.value,
            "fired": self.fired,
            "unknown": self.unknown,
            "flags": self.flags,
            "awaiting_signoff": self.awaiting_signoff,
            "missing": self.missing,
            "criteria": [c.as_dict() for c in self.criteria],
            "advisory": ADVISORY,
        }


def _any_true(*values: bool | None) -> bool:
    return any(v is True for v in values)


def _all_false(*values: bool | None) -> bool:
    return all(v is False for v in values)


def _exclusion(
    values: dict[str, bool | None], excluded: str, cleared: str, unknown: str
) -> Finding:
    """A criterion that excludes when any fact is true and is met when all are false."""
    used = tuple(values)
    if _any_true(*values.values()):
        hits = ", ".join(k.replace("_", " ") for k, v in values.items() if v is True)
        return Finding(Status.NOT_MET, f"{excluded} ({hits}).", used)
    if _all_false(*values.values()):
        return Finding(Status.MET, cleared, used)
    gaps = tuple(k for k, v in values.items() if v is None)
    return Finding(
        Status.UNKNOWN,
        f"{unknown}: not known — {_names(gaps)}.",
        used,
        missing=gaps,
    )


def _names(facts: tuple[str, ...]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} ({FACT_SPECS[k].supplied_by})" for k in facts)


def _unknown(text: str, used: tuple[str, ...], missing: tuple[str, ...], **kw: Any) -> Finding:
    """An ``unknown`` finding that names what is missing and who supplies it."""
    return Finding(
        Status.UNKNOWN, f"{text} Missing: {_names(missing)}.", used, missing=missing, **kw
    )


def e1_age(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("age_at_caution", "age_at_offence")
    minimum = t["minimum_age_at_caution"]
    flags: tuple[str, ...] = ()
    note = ""
    if f.age_at_offence is not None and f.age_at_offence < 18:
        flags = ("OFFENCE_UNDER_18",)
        note = (
            " The offence was committed under 18: no notification follows a caution (Sch 3 "
            "para 13(b)); consider the youth / Outcome 21/22 pathway."
        )
    if f.age_at_caution is not None and f.age_at_caution < minimum:
        return Finding(
            Status.NOT_MET,
            f"Aged {f.age_at_caution}: under {minimum}, so no adult caution; route to the "
            "youth pathway." + note,
            used,
            (*flags, "YOUTH_PATHWAY"),
        )
    missing = tuple(name for name in used if getattr(f, name) is None)
    if missing:
        return _unknown(
            "The age at the date of caution, or at the offence (which decides the pathway and "
            "notification), is not known." + note,
            used,
            missing,
            flags=flags,
        )
    return Finding(Status.MET, f"Aged {f.age_at_caution} ({minimum} or over)." + note, used, flags)


def e2_admission(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("admission_recorded", "admission_only_at_caution_stage")
    if f.admission_recorded is False:
        return Finding(Status.NOT_MET, "No full, recorded admission.", used)
    if f.admission_only_at_caution_stage is True:
        return Finding(
            Status.NOT_MET, "The admission was obtained only at the cautioning stage.", used
        )
    if f.admission_recorded is True and f.admission_only_at_caution_stage is False:
        return Finding(
            Status.MET, "A full admission was recorded before the cautioning stage.", used
        )
    return _unknown(
        "Whether a full admission was recorded, and when, is not known.",
        used,
        tuple(name for name in used if getattr(f, name) is None),
    )


def _ungraded_gap(f: PolicyFacts) -> tuple[str, tuple[str, ...]] | None:
    """Why ungraded material keeps the evidence incomplete, or ``None`` when it does not."""
    n = f.ungraded_item_count
    if n is None:
        return "Whether any material is ungraded is not known.", ("ungraded_item_count",)
    if n > 0 and f.ungraded_sample_review_certified is not True:
        return (
            f"{n} item(s) are ungraded (unmatched or uncategorised): grade them, or an "
            "examiner certifies a reasoned sample review.",
            ("ungraded_sample_review_certified",),
        )
    return None


def e3_evidence(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = (
        "forensic_examination_complete",
        "ungraded_item_count",
        "ungraded_sample_review_certified",
    )
    if f.forensic_examination_complete is not True:
        return _unknown(
            "The evidential stage cannot be assessed until the forensic examination is complete.",
            used,
            ("forensic_examination_complete",),
        )
    gap = _ungraded_gap(f)
    if gap is not None:
        return _unknown("The evidence is incomplete. " + gap[0], used, gap[1])
    if f.ungraded_item_count:
        return Finding(
            Status.MET,
            f"The devices have been examined; {f.ungraded_item_count} ungraded item(s) covered "
            "by an examiner's certified sample review.",
            used,
            ("SAMPLE_REVIEW_CERTIFIED",),
        )
    return Finding(
        Status.MET, "The devices have been forensically examined; nothing is ungraded.", used
    )


def e4_contact(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    return _exclusion(
        {
            "contact_sexual_offending": f.contact_sexual_offending,
            "specific_child_safeguarding_concern": f.specific_child_safeguarding_concern,
        },
        "Excluded",
        "No contact sexual offending and no concern about a specific child.",
        "Contact offending or a specific child concern",
    )


def e5_production(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    return _exclusion(
        {"production_or_distribution": f.production_or_distribution},
        "Excluded",
        "No production, sharing or distribution.",
        "Production or distribution",
    )


def e6_commissioning(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    return _exclusion(
        {
            "commissioning_or_live_streaming": f.commissioning_or_live_streaming,
            "online_sexual_communication_with_minor": f.online_sexual_communication_with_minor,
        },
        "Excluded",
        "No commissioning, live-streaming or online sexual communication with a child.",
        "Commissioning or grooming",
    )


def e7_images(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = (
        "category_a_count",
        "category_b_count",
        "category_c_count",
        "ungraded_item_count",
        "ungraded_sample_review_certified",
    )
    a, b, c = f.category_a_count, f.category_b_count, f.category_c_count
    a_max, b_max, high = t["category_a_de_minimis"], t["category_b_maximum"], t["high_volume_total"]
    known_total = sum(n for n in (a, b, c) if n is not None)
    if a is not None and a > a_max:
        return Finding(Status.NOT_MET, f"{a} Category A image(s): more than {a_max}.", used)
    if b is not None and b > b_max:
        return Finding(Status.NOT_MET, f"{b} Category B images: more than {b_max}.", used)
    if known_total > high:
        return Finding(
            Status.NOT_MET, f"{known_total} images in all: more than {high} (high volume).", used
        )
    counts_missing = tuple(name for name, n in zip(used[:3], (a, b, c), strict=True) if n is None)
    if counts_missing:
        return _unknown(
            "The forensic examination's category counts are not all known.", used, counts_missing
        )
    gap = _ungraded_gap(f)
    if gap is not None:
        return _unknown(f"Graded so far: Category A {a}, B {b}, C {c}. " + gap[0], used, gap[1])
    if f.ungraded_item_count:
        return Finding(
            Status.MET,
            f"Category A {a}, B {b}, C {c}: within the thresholds (A ≤ {a_max}, B ≤ {b_max}, "
            f"total ≤ {high}); {f.ungraded_item_count} ungraded item(s) covered by a certified "
            "sample review.",
            used,
            ("SAMPLE_REVIEW_CERTIFIED",),
        )
    if known_total == 0:
        return Finding(
            Status.MET, "No images found and nothing ungraded (admission-only case).", used
        )
    return Finding(
        Status.MET,
        f"Category A {a}, B {b}, C {c}: within the thresholds (A ≤ {a_max}, B ≤ {b_max}, "
        f"total ≤ {high}).",
        used,
    )


def e8_history(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    return _exclusion(
        {
            "previous_sexual_convictions_or_cautions": f.previous_sexual_convictions_or_cautions,
            "other_history_violent_or_sexual": f.other_history_violent_or_sexual,
            "similar_caution_within_period": f.similar_caution_within_period,
        },
        "Excluded by criminal history",
        f"No sexual, violent or similar-caution history (similar caution period "
        f"{t['similar_caution_years']} years).",
        "Criminal history",
    )


def e9_access(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("access_to_children", "strategy_discussion_held", "safety_plan_agreed")
    if f.access_to_children is False:
        return Finding(Status.MET, "No household, family or unsupervised access to children.", used)
    if f.access_to_children is None:
        return _unknown("Access to children is not known.", used, ("access_to_children",))
    if f.strategy_discussion_held is not True:
        return _unknown(
            "Access to children: a strategy discussion is needed before any eligibility decision.",
            used,
            ("strategy_discussion_held",),
        )
    if f.safety_plan_agreed is True:
        return Finding(
            Status.MET,
            "Access to children, with a safety plan agreed with children's social care.",
            used,
        )
    if f.safety_plan_agreed is False:
        return Finding(Status.NOT_MET, "Access to children and no safety plan agreed.", used)
    return _unknown(
        "Access to children: whether a safety plan is agreed is not known.",
        used,
        ("safety_plan_agreed",),
    )


def e10_work(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("works_or_volunteers_with_children", "lado_concluded_diversion_suitable")
    if f.works_or_volunteers_with_children is False:
        return Finding(Status.MET, "Does not work or volunteer with children.", used)
    if f.works_or_volunteers_with_children is None:
        return _unknown(
            "Whether the person works or volunteers with children is not known.",
            used,
            ("works_or_volunteers_with_children",),
        )
    if f.lado_concluded_diversion_suitable is True:
        return Finding(
            Status.MET,
            "Works or volunteers with children; the LADO process concluded diversion is suitable.",
            used,
        )
    if f.lado_concluded_diversion_suitable is False:
        return Finding(
            Status.NOT_MET,
            "Works or volunteers with children; the LADO process did not conclude otherwise.",
            used,
        )
    return _unknown(
        "Works or volunteers with children: awaiting the LADO process.",
        used,
        ("lado_concluded_diversion_suitable",),
    )


def e11_assessment(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("assessment_complete", "assessed_risk_level")
    acceptable = [str(level) for level in t["acceptable_risk_levels"]]
    if f.assessment_complete is not True:
        return _unknown(
            "The independent assessment is not complete.", used, ("assessment_complete",)
        )
    if f.assessed_risk_level is None:
        return _unknown(
            "The assessment gives no overall risk level.", used, ("assessed_risk_level",)
        )
    if f.assessed_risk_level in acceptable:
        return Finding(Status.MET, f"Independently assessed as {f.assessed_risk_level} risk.", used)
    return Finding(
        Status.NOT_MET,
        f"Independently assessed as {f.assessed_risk_level} risk "
        f"(acceptable: {', '.join(acceptable)}).",
        used,
    )


def e12_consent(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("consents_to_conditions",)
    if f.consents_to_conditions is True:
        return Finding(Status.MET, "Consents to the conditions.", used)
    if f.consents_to_conditions is False:
        return Finding(Status.NOT_MET, "Does not consent to the conditions.", used)
    return _unknown("Consent to the conditions is not known.", used, ("consents_to_conditions",))


def e13_offence(f: PolicyFacts, t: dict[str, Any]) -> Finding:
    used = ("offences",)
    eligible = [str(code) for code in t["eligible_offences"]]
    if not f.offences:
        return _unknown("The offences are not recorded.", used, ("offences",))
    outside = [code for code in f.offences if code not in eligible]
    if outside:
        return Finding(
            Status.NOT_MET, f"Offence(s) outside the scheme: {', '.join(outside)}.", used
        )
    return Finding(
        Status.MET,
        f"Either-way IIOC offence(s): {', '.join(f.offences)}. Whether these are 'specified' "
        "offences is an open question: prefer a conditional caution.",
        used,
        ("PREFER_CONDITIONAL_CAUTION",),
    )


CRITERIA: dict[str, Callable[[PolicyFacts, dict[str, Any]], Finding]] = {
    "E1": e1_age,
    "E2": e2_admission,
    "E3": e3_evidence,
    "E4": e4_contact,
    "E5": e5_production,
    "E6": e6_commissioning,
    "E7": e7_images,
    "E8": e8_history,
    "E9": e9_access,
    "E10": e10_work,
    "E11": e11_assessment,
    "E12": e12_consent,
    "E13": e13_offence,
}
assert tuple(CRITERIA) == CRITERIA_CODES


def evaluate(facts: PolicyFacts, policy: Policy | None = None) -> Recommendation:
    policy = policy or load_policy()
    facts_dict = facts.as_dict()
    results = []
    for code, check in CRITERIA.items():
        rule = policy.rule(code)
        finding = check(facts, rule.thresholds)
        results.append(
            CriterionResult(
                code=code,
                title=rule.title,
                text=rule.text,
                sources=rule.sources,
                confidence=rule.confidence,
                needs_signoff=rule.needs_signoff,
                status=finding.status,
                explanation=finding.explanation,
                facts={name: facts_dict[name] for name in finding.used},
                thresholds=dict(rule.thresholds),
                flags=finding.flags,
                missing=finding.missing if finding.status == Status.UNKNOWN else (),
            )
        )
    statuses = {r.status for r in results}
    if Status.NOT_MET in statuses:
        outcome = Outcome.PROSECUTE
    elif Status.UNKNOWN in statuses:
        outcome = Outcome.INSUFFICIENT_INFORMATION
    else:
        outcome = Outcome.DIVERT
    return Recommendation(policy.name, policy.version, outcome, tuple(results))
