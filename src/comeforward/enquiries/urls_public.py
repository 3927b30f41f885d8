"""``/ask/`` — the public enquiry pages (no sign-in: accounts.middleware.PUBLIC_PREFIXES)."""

from django.urls import path, re_path

from . import views_public

app_name = "ask"

urlpatterns = [
    path("", views_public.start, name="start"),
    path("question", views_public.question, name="question"),
    path("return", views_public.return_with_reference, name="return"),
    path("return/message", views_public.follow_up, name="follow-up"),
    path("icon", views_public.no_icon, name="icon"),
    re_path(r"^(?P<path>.*)$", views_public.not_found, name="not-found"),
]
