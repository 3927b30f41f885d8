"""Assessments' case pages, mounted under ``cases/<case_id>/assessments/`` by its case extension
(``cases.case_pages``; URL names ``assessments:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("refer", views.refer, name="refer"),
    path("conflict", views.conflict, name="conflict"),
    path("complete", views.complete, name="complete"),
    path("share-narrative", views.share_narrative, name="share"),
]
