"""Document kinds: each app declares its own from its case extension's ``document_kinds()``
(``cases.extensions``, docs/extensions.md); see the package docstring for the API."""

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


def document_kinds() -> list[DocumentKind]:
    """Every extension's document kinds, by title."""
    from comeforward.cases.extensions import all_document_kinds

    return all_document_kinds()


def document_kind(key: str) -> DocumentKind:
    kinds = {kind.key: kind for kind in document_kinds()}
    try:
        return kinds[key]
    except KeyError:
        raise UnknownDocumentKind(
            f"Unknown document kind {key!r}", details={"known": sorted(kinds)}
        ) from None
