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

What is *kept* (issue 11.2): the headers a TLS-terminating proxy uses to say how the request
reached it — ``X-Forwarded-Proto`` (``SECURE_PROXY_SSL_HEADER`` reads it; without it
``SECURE_SSL_REDIRECT`` answers every proxied HTTPS request with a redirect to HTTPS, for
ever) and the ``proto=`` part of ``Forwarded`` (RFC 7239). They say which scheme the
*service* was reached on, which is the same for everyone. Everything else a proxy adds goes
(``X-Forwarded-For``, ``X-Real-IP``, ``Forwarded: for=/by=/host=``, ``X-Forwarded-Host``,
``Via``; ``USE_X_FORWARDED_HOST`` is off), and so do the client's software (``User-Agent``,
client hints), where it came from (``Referer``) and its cookies.
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
    "HTTP_COOKIE",
    "HTTP_VIA",
)

#: ``X-Forwarded-*`` headers that describe the service, not the client: kept.
KEPT_FORWARDED_META_KEYS: frozenset[str] = frozenset({"HTTP_X_FORWARDED_PROTO"})
#: ``Forwarded`` (RFC 7239) parameters kept; ``for=`` and ``by=`` name addresses and go.
KEPT_FORWARDED_PARAMS: frozenset[str] = frozenset({"proto"})

PUBLIC_PREFIX = "/ask"

#: Response headers on every public enquiry page (SecureDrop's source.conf, ASVS 14.3.2).
PUBLIC_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Robots-Tag": "noarchive",
}


def _forwarded_without_addresses(value: str) -> str:
    """``Forwarded`` with only its ``proto=`` parameter, per hop; '' if none is left."""
    hops = []
    for element in value.split(","):
        pairs = []
        for pair in element.split(";"):
            name, sep, param = pair.strip().partition("=")
            if sep and name.strip().lower() in KEPT_FORWARDED_PARAMS:
                pairs.append(f"{name.strip().lower()}={param.strip()}")
        if pairs:
            hops.append(";".join(pairs))
    return ", ".join(hops)


def scrub_request(request) -> None:
    """Remove identifying entries from ``request.META`` (the WSGI environ) in place.

    The scheme a proxy reports is kept (see the module docstring)."""
    forwarded = request.META.get("HTTP_FORWARDED")
    for key in IDENTIFYING_META_KEYS:
        request.META.pop(key, None)
    for key in [k for k in request.META if k.startswith("HTTP_X_FORWARDED")]:
        if key not in KEPT_FORWARDED_META_KEYS:
            request.META.pop(key, None)
    if forwarded:
        kept = _forwarded_without_addresses(forwarded)
        if kept:
            request.META["HTTP_FORWARDED"] = kept
    request.__dict__.pop("headers", None)  # cached HttpHeaders built from META
    request.__dict__.pop("COOKIES", None)  # cached cookies parsed from HTTP_COOKIE


def public_headers(response):
    for name, value in PUBLIC_HEADERS.items():
        response[name] = value
    return response


def public_enquiry_view(view):
    """Decorate a public enquiry view: scrub the request, then set the public headers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        from .language import public_language_active

        scrub_request(request)
        with public_language_active(request) as language:
            response = view(request, *args, **kwargs)
            response["Content-Language"] = "cy" if language == "cy" else "en"
        return public_headers(response)

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
