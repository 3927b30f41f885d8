"""Cursor (keyset) pagination: stable under inserts, one indexed range read per page.

A cursor is opaque to clients: URL-safe base64 of ``{"k": <last key>}``. Lists are ordered by a
unique key (newest first, or ``seq`` ascending for the audit extract), and a page reads at
most ``limit + 1`` rows whatever the size of the table.
"""

from __future__ import annotations

import base64
import json

from comeforward.errors import DomainError

MAX_LIMIT = 100
DEFAULT_LIMIT = 50


class CursorInvalid(DomainError):
    code = "CURSOR_INVALID"


def encode(key: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": key}).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))["k"]
    except (ValueError, KeyError, TypeError):
        raise CursorInvalid("The cursor is not one this API gave out") from None
    if not isinstance(key, int) or isinstance(key, bool) or key < 0:
        raise CursorInvalid("The cursor is not one this API gave out")
    return key


def keyset_page(queryset, *, cursor: str | None, limit: int, field: str = "pk", ascending=False):
    """``(rows, next_cursor)``: rows after the cursor in ``field`` order."""
    after = decode(cursor)
    if after is not None:
        lookup = f"{field}__gt" if ascending else f"{field}__lt"
        queryset = queryset.filter(**{lookup: after})
    order = field if ascending else f"-{field}"
    rows = list(queryset.order_by(order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not (more and rows):
        return rows, None
    last = rows[-1]  # a model instance, or a ``values()`` row (which must include ``field``)
    return rows, encode(last[field] if isinstance(last, dict) else getattr(last, field))
