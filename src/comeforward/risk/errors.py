"""Errors raised by the risk instruments, one class per failure a caller can act on.

Each has a stable ``code`` (docs/interfaces.md, "Errors" and §3); the CLI turns them into
``{"error": {"code", "message", "details"}}`` and exit status 2.
"""

from __future__ import annotations

from comeforward.errors import DomainError, InvalidInput, InvalidJson

__all__ = [
    "DomainError",
    "InconsistentItems",
    "InvalidInput",
    "InvalidJson",
    "NegativeValue",
    "NotApplicable",
    "NotScorable",
    "UnknownChoice",
    "UnknownCommand",
    "UnknownInstrument",
    "UnknownItem",
    "ValueOutOfRange",
    "WrongType",
]


class UnknownInstrument(DomainError):
    """The instrument name is not in the registry."""

    code = "UNKNOWN_INSTRUMENT"


class UnknownCommand(DomainError):
    """``comeforward risk`` was given a sub-command it does not have."""

    code = "UNKNOWN_COMMAND"


class UnknownItem(InvalidInput):
    """An item key the instrument does not define."""

    code = "UNKNOWN_ITEM"


class WrongType(InvalidInput):
    """An item value has the wrong JSON type (e.g. ``"yes"`` for a boolean, ``1`` for a boolean)."""

    code = "WRONG_TYPE"


class NegativeValue(InvalidInput):
    """A count or age is negative."""

    code = "NEGATIVE_VALUE"


class ValueOutOfRange(InvalidInput):
    """A value is outside what the instrument's scoring table defines (e.g. 0 total sanctions)."""

    code = "VALUE_OUT_OF_RANGE"


class UnknownChoice(InvalidInput):
    """A choice item (e.g. ``sex``) has a value outside its allowed list."""

    code = "UNKNOWN_CHOICE"


class InconsistentItems(InvalidInput):
    """Two items contradict each other (e.g. more IIOC sanctions than non-contact sanctions)."""

    code = "INCONSISTENT_ITEMS"


class NotScorable(DomainError):
    """Too many items (or an item the score cannot do without) are unknown (null)."""

    code = "NOT_SCORABLE"


class NotApplicable(DomainError):
    """The instrument must not be used for this person; ``details`` names the alternative."""

    code = "NOT_APPLICABLE"
