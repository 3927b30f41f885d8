"""Reason for access: opening a case record asks why, once per case per session.

DPA 2018 s.62(2) requires the log of a consultation to make it possible to establish its
justification. The first time in a session that a user opens a case, they are asked for a
reason; it is remembered for that case for the rest of the session and every opening of the
record is logged as a *consult* with that reason.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .operations import Operation
from .services import audit_record

SESSION_KEY = "access_reasons"

#: Structured reasons offered first; "other" needs a description.
ACCESS_REASONS = {
    "case_work": "I am working on this case",
    "supervision": "Supervisory review or decision",
    "safeguarding": "Safeguarding enquiry",
    "forensic": "Forensic examination",
    "assessment": "Independent assessment or treatment",
    "register": "Managing notification requirements",
    "other": "Another reason",
}


#: Reasons offered for opening other kinds of record, instead of the case ones (issue 20.6:
#: an anonymous enquiry is not a case; the responder says they are answering it).
SUBJECT_ACCESS_REASONS: dict[str, dict[str, str]] = {
    "enquiry": {
        "enquiry_answer": "I am answering this enquiry",
        "enquiry_came_forward": "The person has come forward with this reference",
        "safeguarding": "Safeguarding concern raised in this enquiry",
        "supervision": "Supervisory review",
        "other": "Another reason",
    },
}


def access_reasons(subject_type: str) -> dict[str, str]:
    """The reasons a user may give for opening a record of ``subject_type``."""
    return SUBJECT_ACCESS_REASONS.get(subject_type, ACCESS_REASONS)


def subject_key(subject_type: str, subject_id) -> str:
    return f"{subject_type}:{subject_id}"


def remembered_reason(request: HttpRequest, subject_type: str, subject_id) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(subject_key(subject_type, subject_id))


def remember_reason(request: HttpRequest, subject_type: str, subject_id, justification: str):
    reasons = dict(request.session.get(SESSION_KEY, {}))
    reasons[subject_key(subject_type, subject_id)] = justification
    request.session[SESSION_KEY] = reasons


def reason_url(subject_type: str, subject_id, next_url: str) -> str:
    query = urlencode({"subject": subject_key(subject_type, subject_id), "next": next_url})
    return f"{reverse('audit:reason')}?{query}"


def safe_next(request: HttpRequest, candidate: str | None, fallback: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def consult_with_reason(*, subject_type: str, scope: str, load):
    """Decorate a view that opens one record.

    ``load(request, **kwargs)`` returns the record *already scoped to the user* (a selector,
    raising Http404 when the user may not see it) and must expose ``pk`` and optionally
    ``reference``. The loaded object is passed to the view as ``record``.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            record = load(request, **kwargs)
            justification = remembered_reason(request, subject_type, record.pk)
            if justification is None:
                return redirect(reason_url(subject_type, record.pk, request.get_full_path()))
            audit_record(
                actor=request.user,
                operation=Operation.CONSULT,
                subject_type=subject_type,
                subject_id=record.pk,
                subject_ref=getattr(record, "reference", "") or "",
                scope=scope,
                justification=justification,
            )
            return view(request, *args, record=record, **kwargs)

        return wrapper

    return decorator
