"""The states of a case through the scheme (ARCHITECTURE.md §4)."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    REFERRED = "referred"
    SAFEGUARDING_SCREEN = "safeguarding_screen"
    STRATEGY_DISCUSSION = "strategy_discussion"
    DEVICES_RECEIVED = "devices_received"
    FORENSIC_REVIEW = "forensic_review"
    INTERVIEW = "interview"
    ASSESSMENT = "assessment"
    DECISION = "decision"
    CAUTIONED = "cautioned"
    IN_TREATMENT = "in_treatment"
    COMPLETED = "completed"
    BREACHED = "breached"
    INVESTIGATION = "investigation"
    REFERRED_FOR_PROSECUTION = "referred_for_prosecution"
    NO_FURTHER_ACTION = "no_further_action"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[CaseState, str] = {
    CaseState.REFERRED: "Referred",
    CaseState.SAFEGUARDING_SCREEN: "Safeguarding screen",
    CaseState.STRATEGY_DISCUSSION: "Strategy discussion",
    CaseState.DEVICES_RECEIVED: "Devices received",
    CaseState.FORENSIC_REVIEW: "Forensic review",
    CaseState.INTERVIEW: "Interview",
    CaseState.ASSESSMENT: "Independent assessment",
    CaseState.DECISION: "Decision",
    CaseState.CAUTIONED: "Cautioned",
    CaseState.IN_TREATMENT: "In treatment",
    CaseState.COMPLETED: "Treatment completed",
    CaseState.BREACHED: "Breach review",
    CaseState.INVESTIGATION: "Criminal investigation (left the scheme)",
    CaseState.REFERRED_FOR_PROSECUTION: "Referred for prosecution",
    CaseState.NO_FURTHER_ACTION: "No further action",
    CaseState.CLOSED: "Closed",
}

OPEN_STATES = frozenset(CaseState) - {CaseState.CLOSED}

#: The scheme's stages before a disposal: from any of them a supervisor can take the case out
#: of the scheme (fast exit) to a criminal investigation or straight to prosecution.
PRE_DISPOSAL_STATES = frozenset(
    {
        CaseState.REFERRED,
        CaseState.SAFEGUARDING_SCREEN,
        CaseState.STRATEGY_DISCUSSION,
        CaseState.DEVICES_RECEIVED,
        CaseState.FORENSIC_REVIEW,
        CaseState.INTERVIEW,
        CaseState.ASSESSMENT,
        CaseState.DECISION,
    }
)
