"""A record of how an answer was reached: rule codes, explanations, assumptions, warnings.

docs/code-habits.md ("Decisions leave a record"): a recommendation stores the rule codes that fired,
the rule text and the policy version. Engines read configurable values through
:meth:`Trace.use`, which records every [M]/[D] value actually used as an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from comeforward.law.ruleset import RuleSet, Setting


@dataclass
class Trace:
    ruleset: RuleSet
    reasons: list[str] = field(default_factory=list)
    explanations: list[str] = field(default_factory=list)
    #: The Welsh rendering of each explanation, where the engine has one (``law.welsh``;
    #: draft translations awaiting review, docs/welsh.md); ``None`` where it has not.
    welsh: list[str | None] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    assumptions: dict[str, Setting] = field(default_factory=dict)

    def use(self, name: str) -> Any:
        """The value of a rule-set setting; an [M]/[D] value is recorded as an assumption."""
        setting = self.ruleset.setting(name)
        if setting.needs_legal_signoff:
            self.assumptions.setdefault(name, setting)
        return setting.value

    def assume(self, name: str) -> None:
        """Record that a flagged setting shaped the answer (without reading its value)."""
        self.use(name)

    def reason(self, code: str) -> None:
        if code not in self.reasons:
            self.reasons.append(code)

    def explain(self, text: str, *, welsh: str | None = None) -> None:
        self.explanations.append(text)
        self.welsh.append(welsh)

    def explanations_in(self, language: str) -> list[tuple[str, str]]:
        """Each explanation as ``(text, lang)``: Welsh where ``language`` is ``cy`` and the
        engine has a Welsh rendering, else the English sentence marked ``en`` (never a
        guessed translation)."""
        welsh = self.welsh + [None] * (len(self.explanations) - len(self.welsh))
        if language != "cy":
            return [(text, "en") for text in self.explanations]
        return [
            (cy, "cy") if cy else (en, "en")
            for en, cy in zip(self.explanations, welsh, strict=False)
        ]

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def assumptions_json(self) -> list[dict[str, Any]]:
        return [
            {
                "key": key,
                "value": jsonable(s.value),
                "confidence": s.confidence,
                "source": s.source,
                "text": s.text,
                "needs_legal_signoff": s.needs_legal_signoff,
            }
            for key, s in self.assumptions.items()
        ]

    def ruleset_json(self) -> dict[str, Any]:
        return {
            "version": self.ruleset.version,
            "effective_from": self.ruleset.effective_from.isoformat(),
        }


def jsonable(value: Any) -> Any:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
