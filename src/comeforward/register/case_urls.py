"""The register's case page, mounted under ``cases/<case_id>/register/`` by its case extension
(``cases.case_pages``; URL names ``register-case:…``: ``register:…`` names the register's own
pages under ``register/``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("enter", views.record_enter, name="enter"),
]
