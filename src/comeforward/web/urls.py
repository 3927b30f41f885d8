from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

urlpatterns = [
    path("", include("comeforward.frontend.urls")),
    path("account/", include("comeforward.accounts.urls")),
    path("audit/", include("comeforward.audit.urls")),
    path("cases/", include("comeforward.cases.urls")),
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
