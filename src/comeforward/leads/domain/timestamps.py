"""Original timestamp strings and zones (users-and-security §2.4 #9; IOCCO on Operation Ore).

The original string and zone are always kept as supplied; a UTC instant is derived only when
it is unambiguous. Anything else is reported as an ambiguity — never silently re-keyed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Abbreviations that name more than one zone (or a zone whose offset changes with the
#: season), so that a local time given with one of them has no single UTC instant.
AMBIGUOUS_ABBREVIATIONS = frozenset(
    {
        "CST",
        "EST",
        "IST",
        "BST",
        "AST",
        "MST",
        "PST",
        "CDT",
        "EDT",
        "PDT",
        "MDT",
        "ADT",
        "CET",
        "CEST",
        "EET",
        "EEST",
        "WET",
        "WEST",
        "SST",
        "GST",
        "AMT",
        "ECT",
    }
)
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?$")
_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ParsedTime:
    original: str
    zone: str
    utc: dt.datetime | None
    ambiguity: str  # "" when the instant is certain


class BadTimestamp(ValueError):
    pass


def _local(text: str) -> dt.datetime:
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise BadTimestamp(f"not a date and time: {text!r}")


def parse_time(original: str, zone: str = "") -> ParsedTime:
    """Parse ``original`` (ISO 8601 or ``YYYY-MM-DD HH:MM[:SS]``) in ``zone`` (an IANA name, a
    fixed offset, ``UTC``, or an abbreviation). Raises :class:`BadTimestamp` for text that is
    not a time at all; an uncertain instant is returned with ``utc=None`` and the reason."""
    zone = (zone or "").strip()
    local = _local(original)
    if local.tzinfo is not None:
        return ParsedTime(original, zone, local.astimezone(dt.UTC), "")
    if not zone:
        return ParsedTime(original, zone, None, "No time zone was given with the time")
    upper = zone.upper()
    if upper in {"UTC", "Z", "GMT"}:
        return ParsedTime(original, zone, local.replace(tzinfo=dt.UTC), "")
    offset = _OFFSET.match(zone)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        tz = dt.timezone(delta if sign == "+" else -delta)
        return ParsedTime(original, zone, local.replace(tzinfo=tz).astimezone(dt.UTC), "")
    if upper in AMBIGUOUS_ABBREVIATIONS:
        return ParsedTime(
            original, zone, None, f"The zone {zone!r} is an abbreviation that names several zones"
        )
    try:
        tz_info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ParsedTime(original, zone, None, f"The zone {zone!r} is not a known time zone")
    first = local.replace(tzinfo=tz_info, fold=0)
    second = local.replace(tzinfo=tz_info, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(dt.UTC).astimezone(tz_info).replace(tzinfo=None)
        if round_trip != local:
            reason = f"{local:%Y-%m-%d %H:%M} did not exist in {zone} (clocks went forward)"
        else:
            reason = f"{local:%Y-%m-%d %H:%M} happened twice in {zone} (clocks went back)"
        return ParsedTime(original, zone, None, reason)
    return ParsedTime(original, zone, first.astimezone(dt.UTC), "")
