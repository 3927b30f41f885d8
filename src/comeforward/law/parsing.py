"""Strict reading of the JSON inputs of docs/interfaces.md §3 into typed facts.

Every failure raises a :mod:`comeforward.law.errors` class with a stable code and the
offending field in ``details["field"]``; nothing here lets a traceback through. Unknown extra
keys are ignored (the contracts may be extended).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, time
from enum import StrEnum
from typing import Any, TypeVar

from comeforward.law.dates import DayRange
from comeforward.law.deadlines import (
    DeadlinesRequest,
    DisregardReason,
    Event,
    EventType,
    Matter,
    Notification,
    NotificationType,
)
from comeforward.law.errors import (
    DateInFuture,
    DateOutOfRange,
    InconsistentFacts,
    InvalidDate,
    InvalidInput,
    InvalidJson,
    InvalidValue,
    MissingField,
    NegativeValue,
    UnknownChoice,
    UnknownDisposalType,
    UnknownEventType,
    UnknownMatter,
    UnknownNotificationType,
    UnknownOffence,
    UnknownSentenceKind,
    UnsupportedJurisdiction,
    WrongType,
)
from comeforward.law.facts import Disposal, DisposalType, Facts, Offence, Sentence, SentenceKind

E = TypeVar("E", bound=StrEnum)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")
_MISSING = object()
JURISDICTIONS = ("england-wales",)
#: Dates outside this range are impossible for a case (issue 11.8: year 9999 used to crash the
#: engine with an overflow, exit 1). Wide enough for births in 1900 and deadlines in 2199.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def load_json(text: str) -> Any:
    """Parse a JSON document; NaN/Infinity and malformed text give INVALID_JSON."""

    def reject(constant: str) -> Any:
        raise ValueError(f"{constant} is not valid JSON")

    try:
        return json.loads(text, parse_constant=reject)
    except (ValueError, RecursionError) as exc:
        raise InvalidJson(
            f"The input is not valid JSON: {exc}", details={"position": getattr(exc, "pos", None)}
        )


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }.get(type(value), type(value).__name__)


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise WrongType(
            f"{path or 'The input'} must be a JSON object.",
            details={"field": path or "$", "expected": "object", "got": _type_name(value)},
        )
    return value


def _get(obj: Mapping[str, Any], key: str, path: str, *, required: bool) -> Any:
    full = f"{path}.{key}" if path else key
    if key not in obj:
        if required:
            raise MissingField(f"{full} is required.", details={"field": full})
        return _MISSING
    return obj[key]


def _date(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise WrongType(
            f"{field} must be a date string YYYY-MM-DD.",
            details={"field": field, "expected": "string", "got": _type_name(value)},
        )
    if not _DATE.match(value):
        raise InvalidDate(
            f"{field} must be in the form YYYY-MM-DD.", details={"field": field, "value": value}
        )
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(
            f"{field} is not a real date: {value}.", details={"field": field, "value": value}
        )
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise DateOutOfRange(
            f"{field} must be between {EARLIEST_DATE.isoformat()} and "
            f"{LATEST_DATE.isoformat()}, not {value}.",
            details={
                "field": field,
                "value": value,
                "earliest": EARLIEST_DATE.isoformat(),
                "latest": LATEST_DATE.isoformat(),
            },
        )
    return parsed


def _time(value: Any, field: str) -> time:
    if not isinstance(value, str):
        raise WrongType(
            f"{field} must be a time string HH:MM.",
            details={"field": field, "expected": "string", "got": _type_name(value)},
        )
    if not _TIME.match(value):
        raise InvalidValue(
            f"{field} must be in the form HH:MM.", details={"field": field, "value": value}
        )
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            f"{field} is not a real time: {value}.", details={"field": field, "value": value}
        )


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise WrongType(
            f"{field} must be true or false.",
            details={"field": field, "expected": "boolean", "got": _type_name(value)},
        )
    return value


def _number(value: Any, field: str, *, integer: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WrongType(
            f"{field} must be a number.",
            details={"field": field, "expected": "number", "got": _type_name(value)},
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValue(f"{field} must be finite.", details={"field": field})
    if value < 0:
        raise NegativeValue(
            f"{field} cannot be negative.", details={"field": field, "value": value}
        )
    if integer:
        if isinstance(value, float) and not value.is_integer():
            raise WrongType(
                f"{field} must be a whole number.",
                details={"field": field, "expected": "integer", "value": value},
            )
        return int(value)
    return value


def _choice(value: Any, field: str, enum: type[E], error: type[UnknownChoice]) -> E:
    if not isinstance(value, str):
        raise WrongType(
            f"{field} must be a string.",
            details={"field": field, "expected": "string", "got": _type_name(value)},
        )
    try:
        return enum(value)
    except ValueError:
        raise error(
            f"{field}: unknown value {value!r}.",
            details={"field": field, "value": value, "allowed": [e.value for e in enum]},
        )


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise WrongType(
            f"{field} must be a JSON array.",
            details={"field": field, "expected": "array", "got": _type_name(value)},
        )
    return value


def _items(obj: Mapping[str, Any], key: str) -> list[Any]:
    """An optional top-level array; absent or null is empty."""
    value = _optional(obj, key, "")
    return [] if value is None else _list(value, key)


def _optional(obj: Mapping[str, Any], key: str, path: str) -> Any:
    value = _get(obj, key, path, required=False)
    return None if value is _MISSING else value


# ---------------------------------------------------------------------------------------


def _not_after(value: date, field: str, today: date) -> None:
    """``DATE_IN_FUTURE`` when ``value`` is after ``today``: the facts describe the past."""
    if value > today:
        raise DateInFuture(
            f"{field} is in the future: {value.isoformat()}.",
            details={"field": field, "value": value.isoformat(), "today": today.isoformat()},
        )


def facts_from_json(data: Any, *, today: date | None = None) -> Facts:
    """docs/interfaces.md §3 input → :class:`Facts`.

    The §1 input has no reference date, so "today" is the ``today`` argument, or the clock's
    date (the CLI passes none). An offence date, a date of birth or a disposal date after it
    is ``DATE_IN_FUTURE`` with the field named (issue 11.8): the facts of a case are past
    events, and a future conviction or caution would start a notification period that has
    not begun."""
    obj = _object(data, "")
    jurisdiction = _optional(obj, "jurisdiction", "")
    if jurisdiction is None:
        jurisdiction = "england-wales"
    if not isinstance(jurisdiction, str):
        raise WrongType(
            "jurisdiction must be a string.",
            details={
                "field": "jurisdiction",
                "expected": "string",
                "got": _type_name(jurisdiction),
            },
        )
    if jurisdiction not in JURISDICTIONS:
        raise UnsupportedJurisdiction(
            f"Only {', '.join(JURISDICTIONS)} is supported, not {jurisdiction!r}.",
            details={
                "field": "jurisdiction",
                "value": jurisdiction,
                "allowed": list(JURISDICTIONS),
            },
        )
    offence = _choice(_get(obj, "offence", "", required=True), "offence", Offence, UnknownOffence)
    offence_date = _date(_get(obj, "offence_date", "", required=True), "offence_date")
    dob = _date(_get(obj, "offender_dob", "", required=True), "offender_dob")
    today = today or date.today()
    _not_after(offence_date, "offence_date", today)
    _not_after(dob, "offender_dob", today)
    raw_age = _get(obj, "youngest_depicted_age", "", required=True)
    youngest = (
        None if raw_age is None else int(_number(raw_age, "youngest_depicted_age", integer=True))
    )
    disposal = _disposal(_get(obj, "disposal", "", required=True))
    _not_after(disposal.date, "disposal.date", today)
    relevant_notification = _optional(obj, "relevant_notification_date", "")
    shpo = _optional(obj, "subject_to_sexual_harm_order", "")
    return Facts(
        offence=offence,
        offence_date=offence_date,
        offender_dob=dob,
        youngest_depicted_age=youngest,
        disposal=disposal,
        jurisdiction=jurisdiction,
        relevant_notification_date=None
        if relevant_notification is None
        else _date(relevant_notification, "relevant_notification_date"),
        subject_to_sexual_harm_order=False
        if shpo is None
        else _bool(shpo, "subject_to_sexual_harm_order"),
    )


def _disposal(value: Any) -> Disposal:
    obj = _object(value, "disposal")
    kind = _choice(
        _get(obj, "type", "disposal", required=True),
        "disposal.type",
        DisposalType,
        UnknownDisposalType,
    )
    when = _date(_get(obj, "date", "disposal", required=True), "disposal.date")
    raw_sentence = _optional(obj, "sentence", "disposal")
    sentence = None
    if raw_sentence is not None:
        s = _object(raw_sentence, "disposal.sentence")
        sentence_kind = _choice(
            _get(s, "kind", "disposal.sentence", required=True),
            "disposal.sentence.kind",
            SentenceKind,
            UnknownSentenceKind,
        )
        raw_months = _optional(s, "months", "disposal.sentence")
        months = (
            None
            if raw_months is None
            else _number(raw_months, "disposal.sentence.months", integer=False)
        )
        sentence = Sentence(sentence_kind, months)
    return Disposal(kind, when, sentence)


# ---------------------------------------------------------------------------------------


def deadlines_request_from_json(data: Any) -> DeadlinesRequest:
    """docs/interfaces.md §3 input → :class:`DeadlinesRequest`. ``as_of`` is the request's
    "today": a ``relevant_date`` after it is ``DATE_IN_FUTURE``."""
    obj = _object(data, "")
    relevant = _date(_get(obj, "relevant_date", "", required=True), "relevant_date")
    raw_last = _get(obj, "last_day", "", required=True)
    last_day = None if raw_last is None else _date(raw_last, "last_day")
    if last_day is not None and last_day < relevant:
        raise InconsistentFacts("last_day is before relevant_date.", details={"field": "last_day"})
    as_of = _date(_get(obj, "as_of", "", required=True), "as_of")
    # The relevant date is the conviction/caution (s.82(6)); it cannot be after the day the
    # deadlines are asked for (issue 11.8).
    _not_after(relevant, "relevant_date", as_of)
    nfa = _optional(obj, "no_fixed_abode", "")
    notifications = tuple(
        _notification(item, f"notifications[{i}]")
        for i, item in enumerate(_items(obj, "notifications"))
    )
    events = tuple(_event(item, f"events[{i}]") for i, item in enumerate(_items(obj, "events")))
    disregarded = tuple(
        _day_range(item, f"disregarded_periods[{i}]", reason=True)
        for i, item in enumerate(_items(obj, "disregarded_periods"))
    )
    under_18 = _optional(obj, "under_18_on_relevant_date", "")
    released = _optional(obj, "released_on", "")
    determinations = tuple(
        _date(item, f"review_determinations[{i}]")
        for i, item in enumerate(_items(obj, "review_determinations"))
    )
    shpo = _optional(obj, "subject_to_sexual_harm_order", "")
    return DeadlinesRequest(
        relevant_date=relevant,
        last_day=last_day,
        as_of=as_of,
        no_fixed_abode=False if nfa is None else _bool(nfa, "no_fixed_abode"),
        notifications=notifications,
        events=events,
        disregarded_periods=disregarded,
        under_18_on_relevant_date=None
        if under_18 is None
        else _bool(under_18, "under_18_on_relevant_date"),
        released_on=None if released is None else _date(released, "released_on"),
        review_determinations=determinations,
        subject_to_sexual_harm_order=False
        if shpo is None
        else _bool(shpo, "subject_to_sexual_harm_order"),
    )


def _day_range(value: Any, path: str, *, reason: bool = False) -> DayRange:
    obj = _object(value, path)
    first = _date(_get(obj, "from", path, required=True), f"{path}.from")
    last = _date(_get(obj, "to", path, required=True), f"{path}.to")
    if last < first:
        raise InconsistentFacts(f"{path}: 'to' is before 'from'.", details={"field": path})
    if reason:
        raw = _optional(obj, "reason", path)
        if raw is not None:
            _choice(raw, f"{path}.reason", DisregardReason, UnknownChoice)
    return DayRange(first, last)


def _matters(value: Any, field: str) -> tuple[Matter, ...]:
    return tuple(
        _choice(m, f"{field}[{i}]", Matter, UnknownMatter)
        for i, m in enumerate(_list(value, field))
    )


def _notification(value: Any, path: str) -> Notification:
    obj = _object(value, path)
    kind = _choice(
        _get(obj, "type", path, required=True),
        f"{path}.type",
        NotificationType,
        UnknownNotificationType,
    )
    when = _date(_get(obj, "date", path, required=True), f"{path}.date")
    raw_matters = _optional(obj, "matters", path)
    matters = () if raw_matters is None else _matters(raw_matters, f"{path}.matters")
    needs_matters = (
        NotificationType.CHANGE,
        NotificationType.NEW_MATTER,
        NotificationType.NON_OCCURRENCE,
    )
    if kind in needs_matters and not matters:
        raise MissingField(
            f"{path}.matters is required for a {kind.value} notification.",
            details={"field": f"{path}.matters"},
        )
    departure = None
    if kind in (NotificationType.TRAVEL, NotificationType.TRAVEL_CHANGE):
        departure = _date(_get(obj, "departure", path, required=True), f"{path}.departure")
    elif kind is NotificationType.RETURN and _optional(obj, "departure", path) is not None:
        departure = _date(obj["departure"], f"{path}.departure")  # which trip (optional)
    nfa = _optional(obj, "no_fixed_abode", path)
    raw_expected = _optional(obj, "expected_date", path)
    expected = None if raw_expected is None else _date(raw_expected, f"{path}.expected_date")
    if expected is not None and expected < when:
        raise InconsistentFacts(
            f"{path}.expected_date is before the notification.",
            details={"field": f"{path}.expected_date"},
        )
    return Notification(
        kind,
        when,
        matters,
        departure,
        None if nfa is None else _bool(nfa, f"{path}.no_fixed_abode"),
        expected,
    )


def _event(value: Any, path: str) -> Event:
    obj = _object(value, path)
    kind = _choice(
        _get(obj, "type", path, required=True), f"{path}.type", EventType, UnknownEventType
    )
    if kind is EventType.CHANGE:
        matter = _choice(
            _get(obj, "matter", path, required=True), f"{path}.matter", Matter, UnknownMatter
        )
        return Event(
            kind, date=_date(_get(obj, "date", path, required=True), f"{path}.date"), matter=matter
        )
    if kind is EventType.STAY:
        periods = tuple(
            _day_range(item, f"{path}.periods[{i}]")
            for i, item in enumerate(
                _list(_get(obj, "periods", path, required=True), f"{path}.periods")
            )
        )
        address = _optional(obj, "address", path)
        if address is not None and not isinstance(address, str):
            raise WrongType(
                f"{path}.address must be a string.",
                details={
                    "field": f"{path}.address",
                    "expected": "string",
                    "got": _type_name(address),
                },
            )
        return Event(kind, stays=periods, address=address)
    if kind is EventType.RETURN:
        raw_departure = _optional(obj, "departure", path)
        return Event(
            kind,
            date=_date(_get(obj, "date", path, required=True), f"{path}.date"),
            departure=None if raw_departure is None else _date(raw_departure, f"{path}.departure"),
        )
    departure = _date(_get(obj, "departure", path, required=True), f"{path}.departure")
    raw_time = _optional(obj, "departure_time", path)
    departure_time = None if raw_time is None else _time(raw_time, f"{path}.departure_time")
    if kind is EventType.TRAVEL:
        raw_known = _optional(obj, "known_from", path)
        known = None if raw_known is None else _date(raw_known, f"{path}.known_from")
        if known is not None and known > departure:
            raise InconsistentFacts(
                f"{path}.known_from is after the departure.",
                details={"field": f"{path}.known_from"},
            )
        return_date, planned, in_advance = _travel_return(obj, path, departure)
        return Event(
            kind,
            departure=departure,
            departure_time=departure_time,
            known_from=known,
            return_date=return_date,
            return_notified_in_advance=in_advance,
            planned_return=planned,
        )
    when = _date(_get(obj, "date", path, required=True), f"{path}.date")
    if when > departure:
        raise InconsistentFacts(
            f"{path}.date is after the departure.", details={"field": f"{path}.date"}
        )
    return Event(kind, date=when, departure=departure, departure_time=departure_time)


def _travel_return(
    obj: Mapping[str, Any], path: str, departure: date
) -> tuple[date | None, date | None, bool | None]:
    """A travel event's optional ``return``, ``planned_return`` (dates, not before the
    departure) and ``return_notified_in_advance`` (boolean)."""
    dates: list[date | None] = []
    for key in ("return", "planned_return"):
        raw = _optional(obj, key, path)
        value = None if raw is None else _date(raw, f"{path}.{key}")
        if value is not None and value < departure:
            raise InconsistentFacts(
                f"{path}.{key} is before the departure.", details={"field": f"{path}.{key}"}
            )
        dates.append(value)
    raw_advance = _optional(obj, "return_notified_in_advance", path)
    advance = (
        None if raw_advance is None else _bool(raw_advance, f"{path}.return_notified_in_advance")
    )
    return dates[0], dates[1], advance


__all__ = ["InvalidInput", "deadlines_request_from_json", "facts_from_json", "load_json"]
