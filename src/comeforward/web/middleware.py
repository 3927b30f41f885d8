"""Cross-cutting HTTP behaviour that belongs to no single app."""

from __future__ import annotations


class NoStoreForAuthenticatedMiddleware:
    """``Cache-Control: no-store`` on every page served to a signed-in user (ASVS 14.3.2).

    Case data must not linger in browser or proxy caches on shared police terminals.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        return response
