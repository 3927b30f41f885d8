"""Statistics: the published figures of the client's force, after disclosure control (18.1).

Read from ``comeforward.statistics.selectors.published_figures`` — the same materialised,
suppressed tables the statistics pages show (docs/statistics.md): a count under 5 is published
as "fewer than 5" and secondary suppression hides what would reveal it ("[c]"), so ``value`` is
``null`` and ``suppressed`` true wherever the page withholds a number; a cell that is words
(a stage's name) has ``value`` null and ``suppressed`` false. Before the first nightly refresh
there is nothing to publish: ``404 STATISTICS_NOT_AVAILABLE``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from comeforward.errors import DomainError
from comeforward.statistics.selectors import STATISTICS_ROLES, no_figures_reason, published_figures

from .. import calls
from ..schemas import StatisticsOut
from ..security import ClientToken

router = Router(tags=["statistics"])

#: What a statistics table shows in place of a number withheld by disclosure control.
WITHHELD = frozenset({"fewer than 5", "[c]", "not published"})


class StatisticsNotAvailable(DomainError):
    code = "STATISTICS_NOT_AVAILABLE"


def published_statistics(user, period: str = "quarter") -> dict[str, Any]:
    """The force's published figures as one flat list (table, row and column named)."""
    why_none = no_figures_reason(user)  # a partner organisation: none, and why (plainly)
    if why_none is not None:
        raise StatisticsNotAvailable(why_none)
    figures = published_figures(user, period)
    if figures is None:
        raise StatisticsNotAvailable(
            "No statistics have been published yet: the nightly refresh has not run"
        )
    flat: list[dict[str, Any]] = []
    for key, table in figures.tables.items():
        for row in table.rows:
            for column, shown, value in zip(
                table.columns[1:], row["cells"], row["values"], strict=False
            ):
                flat.append(
                    {
                        "table": key,
                        "name": f"{table.title}: {row['label']} — {column}",
                        "value": value,
                        "shown": shown,
                        "suppressed": value is None and shown in WITHHELD,
                    }
                )
    return {
        "period": period,
        "published_at": figures.computed_at.isoformat().replace("+00:00", "Z"),
        "as_of": figures.as_of.isoformat(),
        "figures": flat,
    }


@router.get(
    "",
    response=StatisticsOut,
    auth=ClientToken("statistics:read"),
    operation_id="statistics_read",
    summary="Read the published statistics",
)
def statistics_read(request: HttpRequest, period: str = "quarter"):
    """The latest published figures of the client's force, small numbers suppressed."""
    calls.require_role(request, STATISTICS_ROLES, "read statistics")
    figures = published_statistics(request.user, period)
    calls.audit_call(request, [f"statistics:{figures['period']}:{figures['as_of']}"])
    return figures
