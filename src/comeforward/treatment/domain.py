"""Pure rules of treatment and breach (domain-rules.md §4.8 "Conditions and breach").

Treatment is a condition of the caution (a counselling or psycho-educational course, e.g.
JUSTICE: 5 sessions in 4 months); breaching a condition routes the case to prosecution for the
original offence (CJA 2003 s.24 [M]; diversionary caution s.106 [S]), after a supervisor
confirms the breach (ARCHITECTURE.md §4: BREACHED → REFERRED_FOR_PROSECUTION).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models

#: How many missed sessions open a breach review by themselves. Scheme policy, not law:
#: set by the scheme's agreement with the provider [M] (needs_legal_signoff=True).
MISSED_SESSIONS_FOR_BREACH_REVIEW = 2
MISSED_SESSIONS_RULE_NEEDS_LEGAL_SIGNOFF = True


#: Case states in which treatment or a breach review can exist (from the caution on); before
#: these, the facts provider and the panel answer without a query.
AFTER_CAUTION_STATES = frozenset(
    {
        "cautioned",
        "in_treatment",
        "completed",
        "breached",
        "referred_for_prosecution",
        "no_further_action",
        "closed",
    }
)


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled by the provider"


class Outcome(models.TextChoices):
    COMPLETED = "completed", "Completed"
    NOT_COMPLETED = "not_completed", "Not completed"


class BreachSource(models.TextChoices):
    MISSED_SESSIONS = "missed_sessions", "Missed treatment sessions"
    NON_COMPLETION = "non_completion", "Treatment not completed"
    CONDITION_DEADLINE = "condition_deadline", "A condition's deadline was missed"
    MANUAL = "manual", "Opened by an officer"


class BreachDecision(models.TextChoices):
    CONFIRMED = "confirmed", "Breach confirmed"
    REJECTED = "rejected", "Breach not confirmed"


def missed_without_excuse(attendances: Iterable[str]) -> int:
    """Sessions missed (cancellations by the provider do not count)."""
    return sum(1 for a in attendances if a == Attendance.MISSED)


def should_open_review(attendances: Iterable[str], threshold: int) -> bool:
    return missed_without_excuse(attendances) >= threshold


#: Caution condition kinds the daily sweep can check by itself (decisions.domain
#: CONDITION_KINDS). Other kinds (not to reoffend, devices, software…) cannot be seen from
#: the record: an officer opens a breach review by hand when one is broken.
SWEPT_CONDITION_KINDS = frozenset({"attend_treatment"})

#: What "attend treatment by D" requires by D: a session attended on or before D (the
#: start of treatment). Scheme policy read from the condition wording, not settled law
#: (domain-rules §4.8; CJA 2003 s.24 [M]): needs_legal_signoff=True.
CONDITION_DEADLINE_RULE_NEEDS_LEGAL_SIGNOFF = True


def attend_treatment_met(
    *, deadline: dt.date, first_attended: dt.date | None, completed_on: dt.date | None
) -> bool:
    """Was the "attend treatment" condition met by its deadline? The deadline day itself
    still counts (a session on the day meets it); a completed programme meets it too."""
    return any(day is not None and day <= deadline for day in (first_attended, completed_on))


def condition_breached(
    *,
    kind: str,
    deadline: dt.date,
    today: dt.date,
    first_attended: dt.date | None,
    completed_on: dt.date | None,
) -> bool:
    """A swept condition is breached from the day *after* its deadline, if still unmet."""
    if kind not in SWEPT_CONDITION_KINDS or today <= deadline:
        return False
    return not attend_treatment_met(
        deadline=deadline, first_attended=first_attended, completed_on=completed_on
    )
