"""Failures a caller of the triage engine can act on, each with a stable code.

The CLI maps them to ``{"error": {"code", "message", "details"}}`` with exit status 2
(docs/interfaces.md, "Errors"). The engine imports nothing from the comeforward web application.
"""

from __future__ import annotations

import json
from typing import Any


class TriageError(Exception):
    """Base class; subclasses set a stable UPPER_SNAKE ``code``."""

    code = "TRIAGE_ERROR"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)


class InvalidArguments(TriageError):
    code = "INVALID_ARGUMENTS"


class SourceNotFound(TriageError):
    code = "SOURCE_NOT_FOUND"


class UnsupportedSource(TriageError):
    code = "UNSUPPORTED_SOURCE"


class CorruptImage(TriageError):
    code = "CORRUPT_IMAGE"


class UnknownFormat(TriageError):
    code = "UNKNOWN_FORMAT"


class MalformedHashSet(TriageError):
    code = "MALFORMED_INPUT"


class UnmappedCategory(TriageError):
    code = "UNMAPPED_CATEGORY"


class CorruptHashSet(TriageError):
    code = "CORRUPT_HASHSET"


class InvalidHash(TriageError):
    code = "INVALID_HASH"


class UnknownProfile(TriageError):
    code = "UNKNOWN_PROFILE"


class InvalidCategoryMap(TriageError):
    code = "INVALID_CATEGORY_MAP"


class HashSetInputNotFound(TriageError):
    code = "INPUT_NOT_FOUND"


class ResumeMismatch(TriageError):
    code = "RESUME_MISMATCH"


class HashSetsUnavailable(TriageError):
    code = "HASHSETS_UNAVAILABLE"
