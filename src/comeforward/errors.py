"""Errors a caller can act on, each with a stable code (docs/interfaces.md, "Errors").

Pure Python: the domain packages (`law`, `risk`, `policy`) raise these; the CLI and the
API turn them into ``{"error": {"code", "message", "details"}}``. Nothing user-facing ever
shows a traceback.
"""

from __future__ import annotations

import json
from typing import Any


class DomainError(Exception):
    """Base class. Subclasses set ``code`` (UPPER_SNAKE_CASE, stable)."""

    code = "INVALID_INPUT"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)


class InvalidInput(DomainError):
    code = "INVALID_INPUT"


class InvalidJson(DomainError):
    code = "INVALID_JSON"
