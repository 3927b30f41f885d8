"""Gathering the eligibility policy's facts (``comeforward.policy.PolicyFacts``) for a case.

Apps that know a fact register a provider in their ``AppConfig.ready``:

    from comeforward.decisions.policy_facts import register_policy_facts_provider
    register_policy_facts_provider("Safeguarding screen", safeguarding_policy_facts)
    # (case) -> {"access_to_children": True, "works_or_volunteers_with_children": False, …}

A provider returns only what it knows (``None`` values are ignored). Whatever no provider
knows, the supervisor confirms on the recommendation form or leaves unknown — a fact is never
invented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from comeforward.policy import PolicyFacts

PolicyFactsProvider = Callable[[Any], dict[str, Any]]
_PROVIDERS: dict[str, PolicyFactsProvider] = {}


def register_policy_facts_provider(source: str, provider: PolicyFactsProvider) -> None:
    _PROVIDERS[source] = provider


def gather_policy_facts(case) -> dict[str, tuple[Any, str]]:
    """``{fact: (value, source)}`` for every fact some provider knows."""
    known = set(PolicyFacts.field_names())
    gathered: dict[str, tuple[Any, str]] = {}
    for source, provider in _PROVIDERS.items():
        for name, value in provider(case).items():
            if name not in known:
                raise ValueError(f"{source} returned an unknown policy fact {name!r}")
            if value is not None:
                gathered[name] = (value, source)
    return gathered
