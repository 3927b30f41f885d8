"""The lead workflow and its corroboration gate (users-and-security §2.4 check 7).

    received ──propose──▶ action_proposed ──approve──▶ action_authorised ──▶ case_opened
        │                       │  (gate: ≥1 independent corroboration,
        │                       │   a supervisor other than the proposer)
        └──────────── any open state ──▶ nfa (with a reason)

A lead never reaches ``action_authorised`` (search, arrest, interview) on payment or referral
data alone: :func:`authorisation_blockers` names every unmet condition, and the same list
refuses the move in the service and draws the page's next steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from comeforward.errors import DomainError

RECEIVED = "received"
ACTION_PROPOSED = "action_proposed"
ACTION_AUTHORISED = "action_authorised"
CASE_OPENED = "case_opened"
NFA = "nfa"
STATES = {
    RECEIVED: "Received",
    ACTION_PROPOSED: "Action proposed",
    ACTION_AUTHORISED: "Action authorised",
    CASE_OPENED: "Investigation case opened",
    NFA: "No further action",
}
OPEN_STATES = frozenset({RECEIVED, ACTION_PROPOSED, ACTION_AUTHORISED})

ACTIONS = {"search": "Search", "arrest": "Arrest", "interview": "Interview"}

#: Independent corroboration: evidence from outside the bulk file (check 7).
CORROBORATION_KINDS = {
    "device_evidence": "Device evidence",
    "account_evidence": "Account evidence (activity on the account)",
    "hash_match": "Reference-set hash match on uploaded files",
    "subscriber_data": "Subscriber data (ISP or service provider)",
}

#: Outcomes when the lead goes no further; "possible fraud victim" is its own outcome
#: (check 13) and is offered only on the fraud path.
NFA_REASONS = {
    "possible_fraud_victim": "No further action — possible fraud victim",
    "insufficient_evidence": "No further action — insufficient evidence",
    "not_identified": "No further action — person not identified",
    "duplicate": "No further action — duplicate of another lead",
    "other": "No further action — other reason",
}


class LeadTransitionNotAllowed(DomainError):
    code = "LEAD_TRANSITION_NOT_ALLOWED"


@dataclass(frozen=True)
class Corroboration:
    kind: str
    source: str


@dataclass(frozen=True)
class Proposal:
    action: str
    proposer_id: int


def authorisation_blockers(
    *,
    state: str,
    corroborations: Sequence[Corroboration],
    batch_source: str,
    proposal: Proposal | None,
    approver_id: int,
    approver_is_supervisor: bool,
) -> list[str]:
    """Every reason the lead cannot move to ``action_authorised`` now (empty: it can)."""
    blockers = []
    if state != ACTION_PROPOSED or proposal is None:
        blockers.append("An action must be proposed first")
    independent = [
        c
        for c in corroborations
        if c.kind in CORROBORATION_KINDS
        and c.source.strip()
        and c.source.strip().lower() != batch_source.strip().lower()
    ]
    if not independent:
        blockers.append(
            "At least one independent corroboration (device or account evidence, a "
            "reference-set hash match, or subscriber data) must be recorded"
        )
    if not approver_is_supervisor:
        blockers.append("Only a supervisor can authorise action")
    if proposal is not None and proposal.proposer_id == approver_id:
        blockers.append("The supervisor who approves must not be the person who proposed it")
    return blockers


def check_authorisation(**kwargs) -> None:
    blockers = authorisation_blockers(**kwargs)
    if blockers:
        raise LeadTransitionNotAllowed(
            "Action cannot be authorised yet: " + "; ".join(blockers),
            details={"blockers": blockers},
        )


def check_open(state: str) -> None:
    if state not in OPEN_STATES:
        raise LeadTransitionNotAllowed(
            f"The lead is closed ({STATES.get(state, state)})", details={"state": state}
        )


def check_nfa_reason(reason: str, *, on_fraud_path: bool, text: str) -> None:
    if reason not in NFA_REASONS:
        raise LeadTransitionNotAllowed(
            "Choose a reason for no further action", details={"reasons": sorted(NFA_REASONS)}
        )
    if reason == "possible_fraud_victim" and not on_fraud_path:
        raise LeadTransitionNotAllowed(
            "'Possible fraud victim' needs a fraud indicator on the lead",
            details={"reason": reason},
        )
    if not text.strip():
        raise LeadTransitionNotAllowed("Explain the reason for no further action")
