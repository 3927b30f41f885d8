"""Choices and pure rules of the decisions app, usable from other apps without its models.

Research: domain-rules.md §2.1 (Home Office outcome codes), §2.6, §4.8 (conditions).
"""

from __future__ import annotations

from enum import StrEnum


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
    SIMPLE = "simple_caution"
    CONDITIONAL = "conditional_caution"


CAUTION_LABELS = {
    CautionKind.SIMPLE: "Simple caution",
    CautionKind.CONDITIONAL: "Conditional caution (CJA 2003 Part 3)",
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

OFFENCE_LABELS = {
    "PCA1978_S1": "Making or taking an indecent photograph of a child (PCA 1978 s.1)",
    "CJA1988_S160": "Possession of an indecent photograph of a child (CJA 1988 s.160)",
    "CEMA1979_S170": "Importation of indecent material (CEMA 1979 s.170)",
    "CJA2009_S62": "Possession of a prohibited image of a child (CJA 2009 s.62)",
}

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
