"""The written notice of the notification requirements, as a ``documents`` kind
("notification_notice"): the person's actual deadlines, each with the sentence of the Act
behind it (law output; domain-rules §1.4-§1.6, s.83, s.85, Regs 2012)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from comeforward.documents.registry import DocumentKind, DocumentUnavailable
from comeforward.roles import Role

from . import selectors


def notice_context(user, case) -> dict[str, Any]:
    record = selectors.record_for_case(user, case)
    if record is None:
        raise DocumentUnavailable("This case has no register record")
    return {
        "record": record,
        "obligation": selectors.record_obligation(record),
        "position": selectors.record_position(record),
        "due_items": selectors.record_due_items(record),
    }


NOTICE = DocumentKind(
    key="notification_notice",
    title=N_("Notice of notification requirements"),
    template="register/pdf/notice.html",
    context=notice_context,
    roles=frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR}),
)


def ended_context(user, case) -> dict[str, Any]:
    """The letter telling the person their requirements have ended (13.5): only once the
    record is closed (the sweep, after the last day; or a discharge on review)."""
    record = selectors.record_for_case(user, case)
    if record is None:
        raise DocumentUnavailable("This case has no register record")
    if record.ended_on is None or record.transferred_to:
        raise DocumentUnavailable("The notification requirements have not ended")
    return {"record": record}


ENDED_LETTER = DocumentKind(
    key="requirements_ended",
    title=N_("Letter: your notification requirements have ended"),
    template="register/pdf/ended.html",
    context=ended_context,
    roles=frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR}),
)
