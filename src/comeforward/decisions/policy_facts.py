"""Gathering the eligibility policy's facts (``comeforward.policy.PolicyFacts``) for a case.

Apps that know a fact answer it from their case extension (``cases.extensions``,
docs/extensions.md: ``policy_source`` + ``policy_facts(case)``, or ``policy_sources(case)``
for several citations), e.g. the safeguarding screen → ``{"access_to_children": True,
"works_or_volunteers_with_children": False, …}``. A source returns only what it knows
(``None`` values are ignored) and never reports the absence of a record as a "no".
Whatever no source knows, the supervisor confirms on the recommendation form or leaves
unknown — a fact is never invented.

Where several sources know a fact — the safeguarding screen, the intake (person record), the
interview, the independent assessment, the children recorded, the register period, the
supervisor — the policy reads the **most restrictive** of them
(``comeforward.policy.facts.most_restrictive``; issue 12.3, domain-rules.md §4.7 E9/E10,
§5.2 S1/S12). A supervisor's "yes, they babysit" is never overridden by a screen's "no
children in the household". Every source is kept and cited on the recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comeforward.cases.extensions import policy_fact_sources
from comeforward.policy import PolicyFacts
from comeforward.policy.facts import most_restrictive

CONFIRMED_SOURCE = "Confirmed by the supervisor"


@dataclass(frozen=True)
class SourcedFact:
    """One fact as the policy reads it: the combined value and every source's answer."""

    value: Any
    reports: tuple[tuple[Any, str], ...]

    @property
    def decisive(self) -> list[str]:
        """The sources whose answer is the value the policy reads."""
        return [source for value, source in self.reports if _same(value, self.value)]

    @property
    def source(self) -> str:
        return "; ".join(self.decisive)

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {"source": source, "value": _jsonable(value), "decisive": _same(value, self.value)}
            for value, source in self.reports
        ]


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return set(a) <= set(b)
    return a == b and type(a) is type(b)


def gather_policy_reports(case) -> dict[str, list[tuple[Any, str]]]:
    """``{fact: [(value, source), …]}``: every known answer of every source."""
    known = set(PolicyFacts.field_names())
    reports: dict[str, list[tuple[Any, str]]] = {}
    for source, facts in policy_fact_sources(case).items():
        for name, value in facts.items():
            if name not in known:
                raise ValueError(f"{source} returned an unknown policy fact {name!r}")
            reports.setdefault(name, []).append((value, source))
    return reports


def combine_policy_facts(
    reports: dict[str, list[tuple[Any, str]]], confirmed: dict[str, Any] | None = None
) -> dict[str, SourcedFact]:
    """The most restrictive answer of every source for each fact, the supervisor's included."""
    merged = {name: list(items) for name, items in reports.items()}
    for name, value in (confirmed or {}).items():
        if value is not None:
            merged.setdefault(name, []).append((value, CONFIRMED_SOURCE))
    return {
        name: SourcedFact(most_restrictive(name, [v for v, _ in items]), tuple(items))
        for name, items in merged.items()
    }


def gather_policy_facts(case) -> dict[str, SourcedFact]:
    """Every fact some record of the case knows, combined (most restrictive), with sources."""
    return combine_policy_facts(gather_policy_reports(case))
