"""Errors raised by the statute engines, one class per failure a caller can act on.

Each has a stable ``code`` (docs/interfaces.md, "Errors"); the CLI turns them into
``{"error": {"code", "message", "details"}}`` and exit status 2.
"""

from __future__ import annotations

from comeforward.errors import DomainError, InvalidInput, InvalidJson

__all__ = [
    "DomainError",
    "InconsistentFacts",
    "InvalidDate",
    "InvalidInput",
    "InvalidJson",
    "InvalidValue",
    "MissingField",
    "NegativeValue",
    "UnknownChoice",
    "UnknownCommand",
    "UnknownDisposalType",
    "UnknownEventType",
    "UnknownMatter",
    "UnknownNotificationType",
    "UnknownOffence",
    "UnknownRuleSet",
    "UnknownSentenceKind",
    "UnsupportedJurisdiction",
    "WrongType",
]


class MissingField(InvalidInput):
    """A required field is absent."""

    code = "MISSING_FIELD"


class WrongType(InvalidInput):
    """A field has the wrong JSON type (e.g. a string where a number is needed)."""

    code = "WRONG_TYPE"


class InvalidDate(InvalidInput):
    """A date is not ``YYYY-MM-DD`` or does not exist (e.g. 2025-02-30)."""

    code = "INVALID_DATE"


class DateOutOfRange(InvalidDate):
    """A real calendar date no case can have (year 9999, year 1): refused, not computed with."""

    code = "DATE_OUT_OF_RANGE"


class DateInFuture(InvalidDate):
    """A date that cannot be after today, such as a date of birth, is."""

    code = "DATE_IN_FUTURE"


class NegativeValue(InvalidInput):
    """A count, age or term is negative."""

    code = "NEGATIVE_VALUE"


class InvalidValue(InvalidInput):
    """A value has the right type but is outside what the rule can accept (e.g. a zero term)."""

    code = "INVALID_VALUE"


class InconsistentFacts(InvalidInput):
    """The facts contradict each other (e.g. born after the offence, disposal before it)."""

    code = "INCONSISTENT_FACTS"


class UnknownChoice(InvalidInput):
    """Base for a value that is not one of the accepted choices."""

    code = "UNKNOWN_VALUE"


class UnknownOffence(UnknownChoice):
    """The offence is not one of the IIOC offences this engine knows (Sch 3 paras 13–15)."""

    code = "UNKNOWN_OFFENCE"


class UnknownDisposalType(UnknownChoice):
    code = "UNKNOWN_DISPOSAL_TYPE"


class UnknownSentenceKind(UnknownChoice):
    code = "UNKNOWN_SENTENCE_KIND"


class UnknownNotificationType(UnknownChoice):
    code = "UNKNOWN_NOTIFICATION_TYPE"


class UnknownEventType(UnknownChoice):
    code = "UNKNOWN_EVENT_TYPE"


class UnknownMatter(UnknownChoice):
    code = "UNKNOWN_MATTER"


class UnsupportedJurisdiction(UnknownChoice):
    """Only England and Wales (SOA 2003 Part 2 as it applies there) is implemented."""

    code = "UNSUPPORTED_JURISDICTION"


class UnknownRuleSet(DomainError):
    """No rule set has that version, or none was in effect on the date asked about."""

    code = "UNKNOWN_RULESET"


class UnknownCommand(DomainError):
    code = "UNKNOWN_COMMAND"
