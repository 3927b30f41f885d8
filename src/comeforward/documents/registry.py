"""The registry of document kinds (see the package docstring for the API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comeforward.errors import DomainError


class DocumentUnavailable(DomainError):
    code = "DOCUMENT_UNAVAILABLE"


class UnknownDocumentKind(DomainError):
    code = "UNKNOWN_DOCUMENT_KIND"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    template: str
    context: Callable[[Any, Any], dict[str, Any]]
    roles: frozenset[str]


_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(kind: DocumentKind) -> None:
    _KINDS[kind.key] = kind


def document_kind(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownDocumentKind(
            f"Unknown document kind {key!r}", details={"known": sorted(_KINDS)}
        ) from None


def document_kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda k: k.title)
