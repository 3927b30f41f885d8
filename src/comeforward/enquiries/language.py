"""The public pages' language, English or Welsh (issue 20.9, docs/welsh.md).

The public pages set no cookie and keep no session, so the choice travels in the address
(``?lang=cy``) and in a hidden field of every form, never in a cookie. Nothing else (no
``Accept-Language`` header) is read: the same page for everyone until they choose.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils import translation

WELSH = "cy"
ENGLISH = "en-gb"
#: Public GET pages a language switch may point back to (others go to the start page).
SWITCHABLE_PATHS = frozenset({"/ask/", "/ask/question", "/ask/return"})


def public_language(request) -> str:
    """``cy`` when the request asks for Welsh (``lang=cy`` in the address or the form)."""
    value = request.GET.get("lang", "")
    if not value and request.method == "POST":
        value = request.POST.get("lang", "")
    return WELSH if value == WELSH else ENGLISH


@contextmanager
def public_language_active(request):
    language = public_language(request)
    with translation.override(language):
        yield language


def language_context(request) -> dict:
    """What the public templates need: the language, the suffix for links, and where the
    language switch points."""
    welsh = public_language(request) == WELSH
    path = request.path if request.path in SWITCHABLE_PATHS else "/ask/"
    return {
        "lang": WELSH if welsh else "en",
        "lang_query": "?lang=cy" if welsh else "",
        "switch_to_welsh": f"{path}?lang=cy",
        "switch_to_english": path,
    }
