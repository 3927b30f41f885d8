"""Statute engines for SOA 2003 Part 2 notification requirements (England and Wales).

Pure Python: imports nothing from Django or other comeforward packages except
``comeforward.errors``. Research: domain-rules.md §0, §1, §2.1, §2.6.

Python API::

    from comeforward.law import evaluate, Facts, Disposal, ...
    obligation = evaluate(facts)            # docs/interfaces.md §3
    result = deadlines(request)             # docs/interfaces.md §3
"""

from __future__ import annotations

from comeforward.law.deadlines import (
    DeadlinesRequest,
    DeadlinesResult,
    Event,
    EventType,
    Matter,
    Notification,
    NotificationType,
    compute_deadlines,
)
from comeforward.law.facts import (
    OFFENCE_LABELS,
    Disposal,
    DisposalType,
    Facts,
    Offence,
    Sentence,
    SentenceKind,
    offence_label,
)
from comeforward.law.obligation import Obligation, evaluate
from comeforward.law.outcomes import consequences, outcome_starts_notification
from comeforward.law.periods import NotificationPeriod, period_text
from comeforward.law.ruleset import RULESET, RULESETS, RuleSet, Setting, ruleset_for
from comeforward.law.trace import Trace


def deadlines(request: DeadlinesRequest, ruleset: RuleSet | None = None) -> DeadlinesResult:
    """Deadlines as of ``request.as_of`` under the rule set in effect then (or ``ruleset``)."""
    return compute_deadlines(request, Trace(ruleset or ruleset_for(request.as_of)))


__all__ = [
    "OFFENCE_LABELS",
    "RULESET",
    "RULESETS",
    "DeadlinesRequest",
    "DeadlinesResult",
    "Disposal",
    "DisposalType",
    "Event",
    "EventType",
    "Facts",
    "Matter",
    "Notification",
    "NotificationPeriod",
    "NotificationType",
    "Obligation",
    "Offence",
    "RuleSet",
    "Sentence",
    "SentenceKind",
    "Setting",
    "consequences",
    "deadlines",
    "evaluate",
    "offence_label",
    "outcome_starts_notification",
    "period_text",
    "ruleset_for",
]
