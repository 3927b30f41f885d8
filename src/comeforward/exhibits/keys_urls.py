"""Registered triage signing keys (issue 11.4): list, register, revoke."""

from django.urls import path

from . import keys_views

app_name = "triage-keys"

urlpatterns = [
    path("", keys_views.key_list, name="list"),
    path("new", keys_views.key_new, name="new"),
    path("<int:key_id>/revoke", keys_views.key_revoke, name="revoke"),
]
