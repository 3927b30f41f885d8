"""What each role's home page shows: its work queue, described in the role's own words."""

from __future__ import annotations

from dataclasses import dataclass

from comeforward.cases.domain.states import CaseState as S
from comeforward.roles import Role


@dataclass(frozen=True)
class HomePage:
    title: str
    queue_heading: str
    empty_text: str
    queue_states: frozenset[str]


HOME_PAGES: dict[str, HomePage] = {
    Role.INTAKE_OFFICER: HomePage(
        "Intake",
        "New self-referrals and safeguarding screens",
        "There are no new referrals waiting.",
        frozenset({S.REFERRED, S.SAFEGUARDING_SCREEN}),
    ),
    Role.INVESTIGATOR: HomePage(
        "Your cases",
        "Cases you are working on",
        "You have no open cases.",
        frozenset(
            {
                S.SAFEGUARDING_SCREEN,
                S.STRATEGY_DISCUSSION,
                S.DEVICES_RECEIVED,
                S.FORENSIC_REVIEW,
                S.INTERVIEW,
                S.ASSESSMENT,
                S.DECISION,
            }
        ),
    ),
    Role.FORENSIC_EXAMINER: HomePage(
        "Forensic examinations",
        "Exhibits waiting for examination",
        "No exhibits are waiting.",
        frozenset({S.DEVICES_RECEIVED, S.FORENSIC_REVIEW}),
    ),
    Role.INDEPENDENT_ASSESSOR: HomePage(
        "Assessments",
        "Assessments referred to your service",
        "No assessments are waiting.",
        frozenset({S.ASSESSMENT}),
    ),
    Role.TREATMENT_PROVIDER: HomePage(
        "Treatment",
        "People referred to your programmes",
        "No one is referred to you at the moment.",
        frozenset({S.CAUTIONED, S.IN_TREATMENT}),
    ),
    Role.OFFENDER_MANAGER: HomePage(
        "Notification requirements",
        "People under notification requirements",
        "No one is waiting for you.",
        frozenset({S.CAUTIONED, S.IN_TREATMENT, S.COMPLETED}),
    ),
    Role.SUPERVISOR: HomePage(
        "Decisions and approvals",
        "Cases waiting for a decision or approval",
        "Nothing is waiting for a decision.",
        frozenset({S.DECISION, S.BREACHED}),
    ),
    Role.ANALYST: HomePage(
        "Statistics",
        "Analysts see pseudonymised statistics only",
        "Case records are not visible to analysts.",
        frozenset(),
    ),
    Role.ADMINISTRATOR: HomePage(
        "Administration",
        "Administrators manage accounts and the audit trail",
        "Administrators do not see case records.",
        frozenset(),
    ),
}
