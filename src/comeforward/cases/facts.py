"""Gathering a case's facts for the workflow guards from the apps that own them.

Each app that knows something the guards need (safeguarding, exhibits, interviews,
assessments, decisions, treatment…) registers a provider in its ``AppConfig.ready``:

    from comeforward.cases.facts import register_facts_provider
    register_facts_provider(safeguarding_facts)   # (case) -> {"safeguarding_screened": True, …}

so that ``cases`` never imports another app's models, and the other apps never need
``cases`` to know about them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from .domain.workflow import CaseFacts

FactsProvider = Callable[[Any], dict[str, Any]]
_PROVIDERS: list[FactsProvider] = []
_FIELDS = {f.name for f in dataclasses.fields(CaseFacts)}


def register_facts_provider(provider: FactsProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def case_facts(case) -> CaseFacts:
    values: dict[str, Any] = {}
    for provider in _PROVIDERS:
        update = provider(case)
        unknown = set(update) - _FIELDS
        if unknown:
            raise ValueError(f"{provider.__qualname__} returned unknown facts {sorted(unknown)}")
        values.update(update)
    return CaseFacts(**values)
