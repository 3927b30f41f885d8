"""Loading a versioned policy file (TOML, read with ``tomllib``).

A policy file has a ``[policy]`` table (name, version, effective_from, source, status) and one
``[criteria.E<n>]`` table per criterion E1–E13 with its ``title``, ``text`` (the rule as a
person reads it), ``sources``, ``confidence`` (S/M/D as in domain-rules.md) and
``needs_signoff``, and where the rule has them, ``thresholds``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PolicyInvalid, PolicyNotFound

POLICY_DIR = Path(__file__).resolve().parent / "policies"
DEFAULT_VERSION = "default-2026.1"
CRITERIA_CODES = tuple(f"E{n}" for n in range(1, 14))

#: Thresholds each criterion needs, with the type each must have.
REQUIRED_THRESHOLDS: dict[str, dict[str, type]] = {
    "E1": {"minimum_age_at_caution": int},
    "E7": {"category_a_de_minimis": int, "category_b_maximum": int, "high_volume_total": int},
    "E8": {"similar_caution_years": int},
    "E11": {"acceptable_risk_levels": list},
    "E13": {"eligible_offences": list},
}


@dataclass(frozen=True)
class CriterionRule:
    code: str
    title: str
    text: str
    sources: str
    confidence: str
    needs_signoff: bool
    thresholds: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    effective_from: dt.date
    source: str
    status: str
    criteria: dict[str, CriterionRule]

    def rule(self, code: str) -> CriterionRule:
        return self.criteria[code]


def available_versions() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.toml"))


def load_policy(version: str = DEFAULT_VERSION) -> Policy:
    """The policy of that version from ``policies/``."""
    path = POLICY_DIR / f"{version}.toml"
    if "/" in version or not path.is_file():
        raise PolicyNotFound(
            f"No policy version {version!r}",
            details={"version": version, "available": available_versions()},
        )
    return parse_policy(path.read_text(encoding="utf-8"))


def parse_policy(text: str) -> Policy:
    """Parse and validate a policy document; raise ``PolicyInvalid`` naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid(f"The policy is not valid TOML: {exc}") from exc
    head = raw.get("policy")
    if not isinstance(head, dict):
        raise PolicyInvalid("The policy has no [policy] table")
    for key in ("name", "version", "effective_from", "source", "status"):
        if key not in head:
            raise PolicyInvalid(f"[policy] lacks {key}", details={"missing": key})
    if not isinstance(head["effective_from"], dt.date):
        raise PolicyInvalid("[policy] effective_from must be a date")
    tables = raw.get("criteria", {})
    missing = [code for code in CRITERIA_CODES if code not in tables]
    extra = sorted(set(tables) - set(CRITERIA_CODES))
    if missing or extra:
        raise PolicyInvalid(
            "The policy must define exactly the criteria E1–E13",
            details={"missing": missing, "unknown": extra},
        )
    criteria = {code: _criterion(code, tables[code]) for code in CRITERIA_CODES}
    return Policy(
        name=str(head["name"]),
        version=str(head["version"]),
        effective_from=head["effective_from"],
        source=str(head["source"]),
        status=str(head["status"]),
        criteria=criteria,
    )


def _criterion(code: str, table: dict[str, Any]) -> CriterionRule:
    for key in ("title", "text", "sources", "confidence", "needs_signoff"):
        if key not in table:
            raise PolicyInvalid(f"{code} lacks {key}", details={"criterion": code, "missing": key})
    if table["confidence"] not in ("S", "M", "D"):
        raise PolicyInvalid(f"{code} confidence must be S, M or D", details={"criterion": code})
    if table["confidence"] in ("M", "D") and table["needs_signoff"] is not True:
        raise PolicyInvalid(
            f"{code} rests on an unverified [M] or proposed [D] source: needs_signoff must be true",
            details={"criterion": code},
        )
    thresholds = dict(table.get("thresholds", {}))
    for name, kind in REQUIRED_THRESHOLDS.get(code, {}).items():
        value = thresholds.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise PolicyInvalid(
                f"{code} needs threshold {name} ({kind.__name__})",
                details={"criterion": code, "threshold": name},
            )
        if isinstance(value, int) and value < 0:
            raise PolicyInvalid(
                f"{code} threshold {name} must not be negative",
                details={"criterion": code, "threshold": name},
            )
    return CriterionRule(
        code=code,
        title=str(table["title"]),
        text=str(table["text"]),
        sources=str(table["sources"]),
        confidence=str(table["confidence"]),
        needs_signoff=bool(table["needs_signoff"]),
        thresholds=thresholds,
    )
