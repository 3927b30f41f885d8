"""Home Office crime outcome codes for each disposal and what each one brings with it.

Research: domain-rules.md §2.1 (Home Office Counting Rules outcome types) and §2.6
(disposal → consequences matrix). Rule R1 (§0): a caution (simple or conditional) for a
Sch 3 offence starts notification (SOA 2003 s.80(1)(d)); Outcome 22 and no further action
do not — neither is a caution nor a conviction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from comeforward.law.facts import DisposalType

StartsNotification = Literal["no", "if_schedule_3_met"]


@dataclass(frozen=True)
class OutcomeConsequences:
    disposal: DisposalType
    outcome_codes: tuple[str, ...]
    description: str
    criminal_record: str
    starts_notification: StartsNotification
    breach_route: str
    source: str

    def as_json(self) -> dict[str, Any]:
        return {
            "disposal": self.disposal.value,
            "outcome_codes": list(self.outcome_codes),
            "description": self.description,
            "criminal_record": self.criminal_record,
            "starts_notification": self.starts_notification,
            "breach_route": self.breach_route,
            "source": self.source,
        }


OUTCOMES: dict[DisposalType, OutcomeConsequences] = {
    DisposalType.NFA: OutcomeConsequences(
        DisposalType.NFA,
        ("10", "15", "16", "18"),
        "No further action",
        "No (local intelligence may remain)",
        "no",
        "None",
        "domain-rules.md §2.1, §2.6",
    ),
    DisposalType.OUTCOME_22: OutcomeConsequences(
        DisposalType.OUTCOME_22,
        ("22",),
        "Diversionary, educational or intervention activity undertaken; no further action "
        "in the public interest",
        "No caution or conviction (PNC recording varies)",
        "no",
        "The investigation can be reopened and a charge brought if the activity is not "
        "completed [M]",
        "HOCR outcome 22 (from 1 April 2019); domain-rules.md §2.1, §2.6",
    ),
    DisposalType.SIMPLE_CAUTION: OutcomeConsequences(
        DisposalType.SIMPLE_CAUTION,
        ("3",),
        "Caution – adults (simple caution)",
        "Yes (caution)",
        "if_schedule_3_met",
        "None (no conditions); breaking the notification requirements is an offence (s.91)",
        "SOA 2003 s.80(1)(d); domain-rules.md §2.1, §2.2, §2.6",
    ),
    DisposalType.CONDITIONAL_CAUTION: OutcomeConsequences(
        DisposalType.CONDITIONAL_CAUTION,
        ("3",),
        "Caution – adults (conditional caution)",
        "Yes (caution)",
        "if_schedule_3_met",
        "Prosecution for the original offence (CJA 2003 s.24)",
        "SOA 2003 s.80(1)(d); CJA 2003 ss.22-27; domain-rules.md §2.1, §2.3, §2.6",
    ),
    DisposalType.YOUTH_CAUTION: OutcomeConsequences(
        DisposalType.YOUTH_CAUTION,
        ("2",),
        "Caution – youths (youth caution, including youth conditional caution)",
        "Yes (youth caution)",
        "if_schedule_3_met",
        "Youth conditional caution: prosecution for the original offence [M]",
        "SOA 2003 s.80(1)(d); CDA 1998 ss.66ZA, 66A; domain-rules.md §2.1, §2.5",
    ),
    DisposalType.CONVICTION: OutcomeConsequences(
        DisposalType.CONVICTION,
        ("1",),
        "Charged/summonsed, then convicted",
        "Yes (conviction)",
        "if_schedule_3_met",
        "Court",
        "SOA 2003 s.80(1)(a); domain-rules.md §2.6",
    ),
}


def consequences(disposal: DisposalType) -> OutcomeConsequences:
    """The outcome codes and consequences of a disposal (domain-rules.md §2.6)."""
    return OUTCOMES[disposal]


def outcome_starts_notification(code: str) -> StartsNotification:
    """Whether a Home Office outcome code can start notification (§0 R1, §2.1).

    Only cautions (2, 3) and charge leading to conviction (1) can; Outcome 22 cannot.
    """
    for outcome in OUTCOMES.values():
        if code in outcome.outcome_codes:
            return outcome.starts_notification
    return "no"
