"""The statistics app's case pages, mounted under ``cases/<case_id>/statistics/`` by its case
extension (``cases.case_pages``; URL names ``statistics:…``)."""

from django.urls import path

from . import case_views

urlpatterns = [
    path("equality", case_views.equality, name="equality"),
    path("follow-up", case_views.follow_up, name="follow-up"),
]
