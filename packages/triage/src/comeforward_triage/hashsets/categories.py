"""Category profiles: map a source's raw category values to legal labels.

The meaning of numeric VICS ``Category`` values is profile-specific and the UK/CAID numbers are
not public (forensic-triage.md §1.7 "Category semantics", §6 open questions). So the compiler
never guesses: it takes an explicit profile (a data file in ``profiles/``) or a JSON map, and
refuses a set with any unmapped value (docs/interfaces.md §6, ``UNMAPPED_CATEGORY``).

Raw values are normalised to string keys: integers (and digit strings) to their decimal form,
JSON null / absent / empty to ``"null"``. A raw value that already *is* a label (``"A"``,
``"known_good"``…, case-insensitive) passes through unless the map says otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from comeforward_triage.errors import InvalidCategoryMap, UnknownProfile

from .model import CATEGORY_CODES, NULL_CATEGORY

PROFILE_PACKAGE = "comeforward_triage.hashsets.profiles"


def raw_category_key(value: Any) -> str:
    """Normalise a raw category value (int, str, None…) to the key used in maps."""
    if value is None:
        return NULL_CATEGORY
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text == "" or text.lower() in ("null", "none"):
        return NULL_CATEGORY
    sign_less = text[1:] if text[:1] in "+-" else text
    if sign_less.isdigit():
        return str(int(text))
    return text


def _label_of(text: str) -> str | None:
    candidate = text.strip().upper().replace("-", "_").replace(" ", "_")
    if candidate == "UNCATEGORIZED":
        candidate = "UNCATEGORISED"
    return candidate if candidate in CATEGORY_CODES else None


@dataclass(frozen=True)
class CategoryProfile:
    """A named mapping with its provenance; ``needs_legal_signoff`` marks unverified rules."""

    name: str
    mapping: dict[str, str]
    description: str = ""
    source: str = ""
    verified: bool = False
    needs_legal_signoff: bool = True
    fixed_label: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "map": dict(sorted(self.mapping.items())),
            "description": self.description,
            "source": self.source,
            "verified": self.verified,
            "needs_legal_signoff": self.needs_legal_signoff,
        }


def _validated_mapping(raw: Any, *, origin: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        raise InvalidCategoryMap(
            "A category map must be a non-empty JSON object of raw value → label.",
            details={"origin": origin},
        )
    mapping: dict[str, str] = {}
    for key, value in raw.items():
        label = _label_of(value) if isinstance(value, str) else None
        if label is None:
            raise InvalidCategoryMap(
                f"Category map value for {key!r} is not one of {sorted(CATEGORY_CODES)}.",
                details={"origin": origin, "key": str(key), "allowed": list(CATEGORY_CODES)},
            )
        mapping[raw_category_key(key)] = label
    return mapping


def available_profiles() -> list[str]:
    names = []
    for item in resources.files(PROFILE_PACKAGE).iterdir():
        if item.name.endswith(".json"):
            names.append(item.name[: -len(".json")])
    return sorted(names)


def load_profile(name: str) -> CategoryProfile:
    """Load a shipped profile data file by name (``profiles/NAME.json``)."""
    if name not in available_profiles():
        raise UnknownProfile(
            f"No category profile named {name!r}.",
            details={"profile": name, "available": available_profiles()},
        )
    text = resources.files(PROFILE_PACKAGE).joinpath(f"{name}.json").read_text("utf-8")
    data = json.loads(text)
    return CategoryProfile(
        name=name,
        mapping=_validated_mapping(data.get("map"), origin=f"profile {name}"),
        description=str(data.get("description", "")),
        source=str(data.get("source", "")),
        verified=bool(data.get("verified", False)),
        needs_legal_signoff=bool(data.get("needs_legal_signoff", True)),
    )


def load_category_map(path: str | Path) -> CategoryProfile:
    """Load an operator-supplied JSON map (``{"1": "A", "2": "B", …}``)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text("utf-8-sig"))
    except FileNotFoundError:
        raise InvalidCategoryMap("Category map file not found.", details={"path": str(p)}) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidCategoryMap(
            f"Category map is not readable JSON: {exc}", details={"path": str(p)}
        ) from None
    return CategoryProfile(
        name=f"map:{p.name}",
        mapping=_validated_mapping(data, origin=str(p)),
        description="Operator-supplied category map",
        source=str(p),
        verified=False,
        needs_legal_signoff=True,
    )


def fixed_profile(label: str, *, reason: str) -> CategoryProfile:
    """A profile that gives every entry one label (e.g. NSRL → KNOWN_GOOD)."""
    return CategoryProfile(
        name=f"fixed:{label}",
        mapping={},
        description=reason,
        source=reason,
        verified=True,
        needs_legal_signoff=False,
        fixed_label=label,
    )


class CategoryMapper:
    """Resolve raw keys to category codes, remembering every unmapped value seen."""

    def __init__(self, profile: CategoryProfile | None):
        self.profile = profile
        self.unmapped: dict[str, int] = {}
        self._cache: dict[str, int] = {}

    def code(self, raw_key: str, count: int = 1) -> int:
        cached = self._cache.get(raw_key)
        if cached is None:
            cached = self._resolve(raw_key)
            self._cache[raw_key] = cached
        if cached < 0:
            self.unmapped[raw_key] = self.unmapped.get(raw_key, 0) + count
        return cached

    def _resolve(self, raw_key: str) -> int:
        profile = self.profile
        if profile is not None and profile.fixed_label is not None:
            return CATEGORY_CODES[profile.fixed_label]
        if profile is not None and raw_key in profile.mapping:
            return CATEGORY_CODES[profile.mapping[raw_key]]
        label = _label_of(raw_key)
        return CATEGORY_CODES[label] if label is not None else -1
