"""Outcomes during follow-up (issue 14.3): re-arrests and reconvictions within 1, 2 and 5
years of the disposal date, for the diverted and the prosecuted.

A person counts in a window only when the whole window has passed by the date of the
figures (complete follow-up): counting people followed up for a few weeks as "not
reoffended" would flatter the scheme. An event counts when it falls after the disposal date
and on or before its anniversary (the window's last day). Events come from the force's PNC
checks (``FollowUpEvent``); a person with no recorded check is still counted as followed up —
the page says that the figures are as complete as the checks recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WINDOWS_YEARS = (1, 2, 5)

EVENT_KINDS = {
    "rearrest": "Re-arrest",
    "reconviction": "Reconviction",
    "caution_other": "Other caution or out-of-court disposal",
    "pnc_check_clear": "PNC check: nothing new",
}
REOFFENDING_KINDS = ("rearrest", "reconviction")


def anniversary(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class WindowResult:
    cohort: str
    years: int
    followed_up: int
    rearrested: int
    reconvicted: int


def follow_up(
    people: Iterable[tuple[int, str, dt.date]],
    events: Mapping[int, Iterable[tuple[str, dt.date]]],
    as_of: dt.date,
) -> list[WindowResult]:
    """``people``: (case id, cohort, disposal date); ``events``: case id → [(kind, date)].
    One result per cohort and window with complete follow-up."""
    counts: dict[tuple[str, int], list[int]] = {}
    for key, cohort, disposal in people:
        for years in WINDOWS_YEARS:
            end = anniversary(disposal, years)
            if end > as_of:
                continue
            slot = counts.setdefault((cohort, years), [0, 0, 0])
            slot[0] += 1
            kinds = {kind for kind, date in events.get(key, ()) if disposal < date <= end}
            slot[1] += "rearrest" in kinds
            slot[2] += "reconviction" in kinds
    return [
        WindowResult(cohort, years, *counts[(cohort, years)]) for cohort, years in sorted(counts)
    ]
