"""Choices and pure rules of the decisions app, usable from other apps without its models.

Research: domain-rules.md §2.1 (Home Office outcome codes), §2.6, §4.8 (conditions).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from comeforward.law.facts import OFFENCE_LABELS as LAW_OFFENCE_LABELS


class DecisionOutcome(StrEnum):
    DIVERT = "divert"
    PROSECUTE = "prosecute"
    NFA = "nfa"


DECISION_LABELS = {
    DecisionOutcome.DIVERT: "Divert: caution with conditions",
    DecisionOutcome.PROSECUTE: "Refer for prosecution",
    DecisionOutcome.NFA: "No further action",
}

#: Structured reasons a supervisor chooses from (with free text alongside).
DECISION_REASONS = {
    "meets_criteria": "Meets the scheme's eligibility criteria",
    "excluded_by_criterion": "Excluded by an eligibility criterion",
    "public_interest": "The public interest requires prosecution",
    "evidential": "Evidential stage not met",
    "exceptional_circumstances": "Exceptional circumstances (explain below)",
    "other": "Another reason (explain below)",
}


class DecisionStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    FINAL = "final"
    REFUSED = "refused"


def departs_from_recommendation(outcome: str, recommended: str) -> bool:
    """A decision departs unless it is the outcome the policy recommended (an
    ``insufficient_information`` recommendation is departed from by any decision)."""
    return outcome != recommended


def approval_required(outcome: str, recommended: str) -> bool:
    """Any diversion, and any departure from the recommendation, needs a second supervisor."""
    return outcome == DecisionOutcome.DIVERT or departs_from_recommendation(outcome, recommended)


class CautionKind(StrEnum):
    """Every disposal kind the code knows; which are *available* is the policy's
    ``[disposals]`` section (``comeforward.policy.disposal``, docs/disposals.md)."""

    SIMPLE = "simple_caution"
    CONDITIONAL = "conditional_caution"
    DIVERSIONARY = "diversionary_caution"


CAUTION_LABELS = {
    CautionKind.SIMPLE: "Simple caution",
    CautionKind.CONDITIONAL: "Conditional caution (CJA 2003 Part 3)",
    CautionKind.DIVERSIONARY: "Diversionary caution (PCSC Act 2022 Part 6)",
}


class SignatureMethod(StrEnum):
    """How the signed document of CJA 2003 s.23(5) was captured."""

    SCANNED = "scanned"
    E_SIGNATURE = "e_signature"


SIGNATURE_LABELS = {
    SignatureMethod.SCANNED: "Signed on paper: the scanned document's reference",
    SignatureMethod.E_SIGNATURE: "Signed in person on screen (electronic signature)",
}


@dataclass(frozen=True)
class CautionRequirements:
    """What the officer records for the s.23 requirements that are not already on the case.
    The admission (s.23(3)) comes from the interview record and the authorised decision
    (s.23(2)) from the approved decision to divert; neither is re-keyed."""

    evidence_sufficient: bool = False  # s.23(1)
    explanation_given: bool = False  # s.23(4): effect explained, warning given
    consent_given: bool = False  # s.23(5)
    signature_method: str = ""  # SignatureMethod
    signature_reference: str = ""  # scanned: the document's reference
    signed_name: str = ""  # e-signature: the name the person signed with


def signed_document_problem(req: CautionRequirements) -> str | None:
    """Why the signed document with consent (s.23(5)) is not complete, or ``None``."""
    if not req.consent_given:
        return "The person's consent to the caution is not recorded"
    if req.signature_method == SignatureMethod.SCANNED:
        return None if req.signature_reference.strip() else "Give the scanned document's reference"
    if req.signature_method == SignatureMethod.E_SIGNATURE:
        return None if req.signed_name.strip() else "The person must sign with their name"
    return "Record how the document was signed (scanned or in person)"


#: Structured reasons for leaving the scheme early (fast exit, domain-rules §4.7 E4, E5,
#: E7, E2): a supervisor moves the case to a criminal investigation or to prosecution.
FAST_EXIT_REASONS = {
    "category_a": "Category A images found",
    "production_or_distribution": "Production or distribution found",
    "contact_offending": "Indicators of contact sexual offending",
    "denial": "The person denied the offence in interview",
    "partial_admission": "Only a partial admission in interview",
}

FAST_EXIT_TARGETS = {
    "investigation": "Criminal investigation (outside the scheme)",
    "referred_for_prosecution": "Refer for prosecution now",
}

#: Conditions seen in the sources (domain-rules.md §4.8).
CONDITION_KINDS = {
    "attend_treatment": "Attend and complete the treatment programme",
    "surrender_devices": "Surrender devices for examination and destruction or wiping",
    "not_access_iioc": "Not to access indecent images of children or CSAM",
    "monitoring_software": "Install and keep blocking or monitoring software",
    "no_reoffending": "Not to reoffend during the period of the caution",
    "other": "Another condition",
}

#: The law engine's offence labels (one list: ``comeforward.law.OFFENCE_LABELS``).
OFFENCE_LABELS = {o.value: label for o, label in LAW_OFFENCE_LABELS.items()}

#: Home Office outcome codes recordable on a closed case (domain-rules.md §2.1). Codes
#: tagged [M] in the research are listed as the research gives them: confirm against the
#: current Home Office Counting Rules before release.
OUTCOME_CODES = {
    "1": "1 – Charged or summonsed",
    "3": "3 – Caution – adults (simple or conditional)",
    "10": "10 – Formal action not in the public interest (police decision)",
    "15": "15 – Evidential difficulties: suspect identified, victim supports action",
    "16": "16 – Evidential difficulties: victim does not support action",
    "18": "18 – Investigation complete: no suspect identified",
    "21": "21 – Further investigation not in the public interest (police decision)",
    "22": "22 – Diversionary, educational or intervention activity undertaken",
}
OUTCOME_CODES_NEEDING_SIGNOFF = frozenset({"1", "10", "18"})  # [M] in §2.1


class ProsecutionResult(StrEnum):
    PENDING = "pending"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "cps_no_further_action"
    OTHER = "other"


PROSECUTION_RESULT_LABELS = {
    ProsecutionResult.PENDING: "Awaiting the CPS",
    ProsecutionResult.CHARGED: "Charged",
    ProsecutionResult.NO_FURTHER_ACTION: "CPS: no further action",
    ProsecutionResult.OTHER: "Other",
}


def suggested_outcome_code(
    *, caution_recorded: bool, decision: str | None, prosecution_result: str | None
) -> str | None:
    """The code the facts point to (the officer still chooses): a caution → 3 (§2.1, §2.6);
    a charge → 1; a decision of no further action → 10."""
    if caution_recorded:
        return "3"
    if prosecution_result == ProsecutionResult.CHARGED:
        return "1"
    if decision == DecisionOutcome.NFA:
        return "10"
    return None


def outcome_code_problem(code: str, *, caution_recorded: bool, charged: bool) -> str | None:
    """Why outcome ``code`` does not fit the case, or ``None`` (domain-rules §2.1, §2.6):
    3 needs a caution (and no later charge); 1 needs a charge; any other code cannot stand on
    a case with a caution or a charge."""
    if code == "3":
        if not caution_recorded:
            return "Outcome 3 (caution) needs a caution recorded on this case"
        if charged:
            return "This case was charged after the caution: the outcome is 1 (charged)"
        return None
    if code == "1":
        return None if charged else "Outcome 1 needs a charge: record the CPS result first"
    if charged:
        return "This case was charged: the outcome is 1 (charged)"
    if caution_recorded:
        return "A caution is recorded on this case: the outcome is 3 (caution)"
    return None
