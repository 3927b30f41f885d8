from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

from comeforward.cases.case_pages import case_urlpatterns
from comeforward.web import health, language

urlpatterns = [
    # Operations (docs/deploy.md): /healthz (liveness) is in frontend.urls.
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    # The staff interface's language switch (docs/welsh.md).
    path("language", language.choose, name="language"),
    path("", include("comeforward.frontend.urls")),
    path("account/", include("comeforward.accounts.urls")),
    path("audit/", include("comeforward.audit.urls")),
    path("cases/", include("comeforward.cases.urls")),
    # Every app's case pages, mounted once: cases/<case_id>/<app>/… (cases/case_pages.py).
    *case_urlpatterns(),
    path("triage-keys/", include("comeforward.exhibits.keys_urls")),
    path("register/", include("comeforward.register.urls")),
    path("ask/", include("comeforward.enquiries.urls_public")),
    path("enquiries/", include("comeforward.enquiries.urls")),
    path("statistics/", include("comeforward.statistics.urls")),
    path("api/v1/", include("comeforward.api.urls")),
    path("account/api-clients/", include("comeforward.api.urls_admin")),
    path("exports/", include("comeforward.api.urls_exports")),
    path("leads/", include("comeforward.leads.urls")),
]

if settings.DEMO_MODE:
    # The one-command demo has no separate web server for the built GOV.UK assets.
    urlpatterns += [
        re_path(
            r"^static/(?P<path>.*)$",
            serve,
            {"insecure": True},
        )
    ]


def handler500(request):
    """A server error: the public enquiry pages' own style under ``/ask/``, the standalone
    page everywhere else (issue 20.6)."""
    from django.views.defaults import server_error

    if request.path.startswith("/ask/"):
        from comeforward.enquiries.views_public import server_error as public_server_error

        return public_server_error(request)
    return server_error(request)
