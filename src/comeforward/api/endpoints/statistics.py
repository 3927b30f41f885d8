"""Statistics: the published, suppressed figures — PENDING the ``stats`` app (issue 18.1).

The statistics app is being built on another branch. This operation is written against the
small interface it is expected to offer, ``comeforward.stats.selectors.published_statistics(
user) -> {"period", "published_at", "figures": [{"name", "value", "suppressed"}]}``; until
that app is installed it answers ``404 STATISTICS_NOT_AVAILABLE``: there is no published
release to read yet (docs/api.md says so).
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.http import HttpRequest
from ninja import Router

from comeforward.errors import DomainError

from .. import calls
from ..schemas import StatisticsOut
from ..security import ClientToken

router = Router(tags=["statistics"])


class StatisticsNotAvailable(DomainError):
    code = "STATISTICS_NOT_AVAILABLE"


def published_statistics(user):
    """The stats app's published figures, or ``StatisticsNotAvailable`` until it exists."""
    if not apps.is_installed("comeforward.stats"):
        raise StatisticsNotAvailable("Published statistics are not available yet")
    selectors = importlib.import_module("comeforward.stats.selectors")
    reader = getattr(selectors, "published_statistics", None)
    if reader is None:
        raise StatisticsNotAvailable("Published statistics are not available yet")
    return reader(user)


@router.get(
    "",
    response=StatisticsOut,
    auth=ClientToken("statistics:read"),
    operation_id="statistics_read",
    summary="Read the published statistics",
)
def statistics_read(request: HttpRequest):
    """The latest published figures, small numbers suppressed (pending: see docs/api.md)."""
    figures = published_statistics(request.user)
    calls.audit_call(request, [f"statistics:{figures.get('period', '')}"])
    return figures
