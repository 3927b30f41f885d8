"""Interviews' case pages, mounted under ``cases/<case_id>/interviews/`` by its case extension
(``cases.case_pages``; URL names ``interviews:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("new", views.interview_new, name="new"),
]
