"""The staff interface's language, English or Cymraeg (issue 20.9, docs/welsh.md).

The choice is a cookie (``comeforward_language``: ``cy`` or ``en``), set by the switch in the
page header (a POST to ``/language``) and read on every staff page by
:class:`StaffLanguageMiddleware`. A cookie, not a field on the user, so that the sign-in
pages are in the chosen language too and no migration of the user is needed; it carries
nothing but the two letters. No ``Accept-Language`` header is read: everyone gets English
until they choose. The public ``/ask/`` pages never read it (they set no cookie and keep no
session, users-and-security §3.2): their language travels in the address
(``enquiries/language.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from comeforward.errors import DomainError

COOKIE = "comeforward_language"
WELSH = "cy"
ENGLISH = "en-gb"
#: Paths the staff language does not apply to: the public pages choose their own, the API
#: and the operations endpoints speak JSON and plain text.
NOT_STAFF = ("/ask/", "/api/", "/readyz", "/metrics", "/healthz", "/static/")
ONE_YEAR = 365 * 24 * 60 * 60


class LanguageNotAvailable(DomainError):
    code = "LANGUAGE_NOT_AVAILABLE"


def staff_language(request) -> str:
    return WELSH if request.COOKIES.get(COOKIE) == WELSH else ENGLISH


class StaffLanguageMiddleware:
    """Every staff page in the language of the cookie (English unless Cymraeg was chosen);
    the response says which (``Content-Language``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(NOT_STAFF):
            return self.get_response(request)
        language = staff_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        if "Content-Language" not in response:
            response["Content-Language"] = "cy" if language == WELSH else "en-GB"
        return response


@require_POST
def choose(request):
    """Keep the chosen language (``language``: ``cy`` or ``en``) and go back to ``next``
    (a path on this site; anything else goes to the home page)."""
    choice = request.POST.get("language", "")
    if choice not in ("cy", "en"):
        return HttpResponseBadRequest(
            f"{LanguageNotAvailable.code}: choose English or Cymraeg", content_type="text/plain"
        )
    target = request.POST.get("next", "") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        COOKIE,
        choice,
        max_age=ONE_YEAR,
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        httponly=True,
        samesite="Lax",
    )
    return response
