"""Keep the enquirer's network identity out of everything the application keeps.

users-and-security §3.1 (SecureDrop: ``ErrorLog /dev/null``, no IPs in logs) and §3.2 req. 4:
no IP address, user agent or forwarded-for header may reach the database, the application
logs or error reports for the public enquiry pages.

Django attaches the request to every log record it writes for a 4xx/5xx response
(``django.request``) and error reporters print ``request.META``. So before a public view
runs, the identifying entries are removed from ``request.META`` (which is the WSGI environ
itself); what is logged or reported afterwards never had them.

``public_enquiry_view`` does this per view and sets the public pages' response headers.
``PublicEnquiryPrivacyMiddleware`` does the same for every ``/ask`` path and can be placed
first in ``MIDDLEWARE`` so that no other middleware sees the address either.
"""

from __future__ import annotations

import functools

#: WSGI environ / META keys that identify a client or its software.
IDENTIFYING_META_KEYS: tuple[str, ...] = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_PORT",
    "REMOTE_USER",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_CLIENT_IP",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
    "HTTP_FASTLY_CLIENT_IP",
    "HTTP_REFERER",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)

PUBLIC_PREFIX = "/ask"

#: Response headers on every public enquiry page (SecureDrop's source.conf, ASVS 14.3.2).
PUBLIC_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Robots-Tag": "noarchive",
}


def scrub_request(request) -> None:
    """Remove identifying entries from ``request.META`` (the WSGI environ) in place."""
    for key in IDENTIFYING_META_KEYS:
        request.META.pop(key, None)
    for key in [k for k in request.META if k.startswith("HTTP_X_FORWARDED")]:
        request.META.pop(key, None)
    request.__dict__.pop("headers", None)  # cached HttpHeaders built from META


def public_headers(response):
    for name, value in PUBLIC_HEADERS.items():
        response[name] = value
    return response


def public_enquiry_view(view):
    """Decorate a public enquiry view: scrub the request, then set the public headers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        scrub_request(request)
        return public_headers(view(request, *args, **kwargs))

    return wrapper


class PublicEnquiryPrivacyMiddleware:
    """Scrub ``/ask`` requests before any other middleware runs (place it first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PUBLIC_PREFIX):
            scrub_request(request)
            return public_headers(self.get_response(request))
        return self.get_response(request)
