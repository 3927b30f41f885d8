"""The documents app's case pages, mounted under ``cases/<case_id>/documents/`` by its case
extension (``cases.case_pages``; URL names ``documents:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("generate", views.generate, name="generate"),
    path("<int:document_id>.pdf", views.download, name="download"),
]
