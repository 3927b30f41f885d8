"""The public pages: no sign-in, no session, no cookie, no JavaScript needed.

users-and-security §3.2: notice first (req. 1), reference shown once after the first message
(req. 2, SecureDrop #6155 "inverted flow"), no identifying telemetry (req. 4), no uploads
(req. 7). Every view is wrapped in ``public_enquiry_view`` (scrubs the client's address and
user agent before anything can log them, sets ``Referrer-Policy: no-referrer`` and
``Cache-Control: no-store``).

CSRF: these forms are exempt from Django's CSRF cookie check, because the public pages must
not set a cookie that would link one visit to the next. There is no ambient authority on
them to forge (no session, no sign-in); the signed single-use form token and the short-lived
thread token are the anti-replay measure (ADR 0201).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comeforward.ui.forms import Outcome, attempt

from . import abuse, selectors, services
from .conf import setting
from .errors import EnquiryChannelNotConfigured, ProofRequired, RateLimited
from .forms import FollowUpForm, QuestionForm, ReturnForm
from .language import language_context
from .notice import notice_version_for
from .privacy import public_enquiry_view
from .public_messages import public_message

PUBLIC = "enquiries/public/"


def _render(request, name: str, context: dict, status: int = 200):
    context = {
        "retention_days": setting("ENQUIRY_RETENTION_DAYS"),
        **language_context(request),
        **context,
    }
    return render(request, PUBLIC + name, context, status=status)


def _status(outcome: Outcome) -> int:
    """A form not taken: 400, or 429 when it was refused for a rate limit or a missing proof of
    work, 503 when the channel is not configured."""
    if isinstance(outcome.refusal, RateLimited | ProofRequired):
        return 429
    if isinstance(outcome.refusal, EnquiryChannelNotConfigured):
        return 503
    return 400


@public_enquiry_view
@require_GET
def start(request):
    return _render(request, "start.html", {"title": _("Ask a question anonymously")})


@public_enquiry_view
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def question(request):
    form = QuestionForm(request.POST or None)
    opened = attempt(
        request,
        form,
        lambda data: services.enquiry_open(
            message=data["message"], form_token=data["form_token"], proof=data["proof"]
        ),
        message=public_message,
    )
    if opened:
        return _render(
            request,
            "reference.html",
            {"title": _("Your reference"), "words": opened.result.reference.split()},
        )
    status = _status(opened) if request.method == "POST" else 200
    context = {
        "title": _("Ask your question"),
        "form": form,
        **abuse.question_form_context(notice_version_for(language_context(request)["lang"])),
        "notice_version": notice_version_for(language_context(request)["lang"]),
    }
    return _render(request, "question.html", context, status=status)


@public_enquiry_view
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def return_with_reference(request):
    form = ReturnForm(request.POST or None)
    found = attempt(
        request,
        form,
        lambda data: selectors.enquiry_for_reference(
            data["reference"], challenge=data["challenge"], proof=data["proof"]
        ),
        field="reference",
        message=public_message,
    )
    if found:
        enquiry, normalised = found.result
        return _thread(request, enquiry, normalised)
    return _render(
        request,
        "return.html",
        {"title": _("Return to your enquiry"), "form": form, **abuse.lookup_form_context()},
        status=_status(found) if request.method == "POST" else 200,
    )


def _thread(request, enquiry, normalised: str, form: FollowUpForm | None = None):
    context = {
        "title": _("Your enquiry"),
        "thread": (thread := selectors.enquiry_thread_for_holder(enquiry, normalised)),
        "replies": [entry.text for entry in thread if not entry.from_me],
        "sent": (sent := selectors.enquiry_messages_sent(enquiry)),
        "unshown": sent - sum(entry.from_me for entry in thread),
        "form": form or FollowUpForm(),
        "thread_token": selectors.enquiry_thread_token(enquiry),
        "closed": (enquiry.merged_into or enquiry).status != "open",
    }
    return _render(request, "thread.html", context)


@public_enquiry_view
@csrf_exempt
@require_POST
def follow_up(request):
    form = FollowUpForm(request.POST)
    sent = attempt(
        request,
        form,
        lambda data: services.enquiry_message_add(
            enquiry=selectors.enquiry_for_thread_token(data["thread_token"]),
            message=data["message"],
        ),
        message=public_message,
    )
    if sent:
        return _render(request, "sent.html", {"title": _("Message sent")})
    return _render(
        request,
        "follow_up_error.html",
        {
            "title": _("Your message was not sent"),
            "form": form,
            "thread_token": request.POST.get("thread_token", ""),
        },
        status=_status(sent),
    )


@public_enquiry_view
@require_GET
def no_icon(request):
    """The public pages name this as their icon, so that browsers do not fetch
    ``/favicon.ico`` — which, outside ``/ask``, redirects to the sign-in page and would leave
    a CSRF cookie behind. Empty, with no cookie."""
    return HttpResponse(status=204)


@public_enquiry_view
def not_found(request, path: str = ""):
    """Any other ``/ask/…`` path: a 404 in the public pages' style (no staff header, no
    navigation, Stop It Now in the footer) that never logs the client's address."""
    return _render(request, "404.html", {"title": _("Page not found")}, status=404)


def server_error(request):
    """The 500 page of ``/ask/…`` (``web.urls.handler500`` sends public paths here): the
    public style, no cookie, no session, nothing that needs the database. If even that
    cannot be drawn, the plain standalone page."""
    from django.template.loader import render_to_string

    try:
        # No request: no context processor (nothing that could need the database) runs.
        html = render_to_string(
            PUBLIC + "500.html",
            {"title": "Sorry, there is a problem with the service", "request": None},
        )
    except Exception:  # noqa: BLE001 - the error page must not fail in its turn
        html = render_to_string("500.html")
    response = HttpResponse(html, status=500)
    response["Cache-Control"] = "no-store, max-age=0"
    response["Referrer-Policy"] = "no-referrer"
    return response
