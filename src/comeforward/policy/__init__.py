"""The scheme's eligibility policy (pure Python; no Django).

A versioned, human-readable policy file (``policies/<version>.toml``) states criteria E1–E13
from domain-rules.md §4.7 with their thresholds; criteria resting on unverified [M] or
proposed [D] sources are marked ``needs_signoff``. ``evaluate`` applies it to a case's facts::

    from comeforward.policy import PolicyFacts, evaluate, load_policy
    recommendation = evaluate(PolicyFacts(age_at_caution=40, ...), load_policy("default-2026.1"))
    recommendation.outcome            # Outcome.DIVERT | PROSECUTE | INSUFFICIENT_INFORMATION
    recommendation.as_dict()          # each criterion: status, rule text, facts used

Unknown facts stay ``None`` and make a criterion ``unknown``; nothing is guessed.
"""

from __future__ import annotations

from .document import (
    DEFAULT_VERSION,
    CriterionRule,
    Policy,
    available_versions,
    load_policy,
    parse_policy,
)
from .errors import PolicyInvalid, PolicyNotFound, UnknownPolicyFact
from .evaluate import OUTCOME_LABELS, CriterionResult, Outcome, Recommendation, Status, evaluate
from .facts import PolicyFacts

__all__ = [
    "DEFAULT_VERSION",
    "OUTCOME_LABELS",
    "CriterionResult",
    "CriterionRule",
    "Outcome",
    "Policy",
    "PolicyFacts",
    "PolicyInvalid",
    "PolicyNotFound",
    "Recommendation",
    "Status",
    "UnknownPolicyFact",
    "available_versions",
    "evaluate",
    "load_policy",
    "parse_policy",
]
