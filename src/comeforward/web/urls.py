from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

from comeforward.web import health
from comeforward.web.case_pages import case_urlpatterns

urlpatterns = [
    # Operations (docs/deploy.md): /healthz (liveness) is in frontend.urls.
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("", include("comeforward.frontend.urls")),
    path("account/", include("comeforward.accounts.urls")),
    path("audit/", include("comeforward.audit.urls")),
    path("cases/", include("comeforward.cases.urls")),
    # Every app's case pages, mounted once: cases/<case_id>/<app>/… (web/case_pages.py).
    *case_urlpatterns(),
    path("triage-keys/", include("comeforward.exhibits.keys_urls")),
    path("register/", include("comeforward.register.urls")),
    path("ask/", include("comeforward.enquiries.urls_public")),
    path("enquiries/", include("comeforward.enquiries.urls")),
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
