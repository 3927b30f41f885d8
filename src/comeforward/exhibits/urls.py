"""Exhibits' case pages, mounted under ``cases/<case_id>/exhibits/`` by its case extension
(``cases.case_pages``; URL names ``exhibits:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("new", views.exhibit_new, name="new"),
    path("<int:exhibit_id>/", views.exhibit_detail, name="detail"),
    path("<int:exhibit_id>/custody", views.custody_new, name="custody"),
    path("<int:exhibit_id>/examination", views.examination_import, name="examination"),
    path("<int:exhibit_id>/triage", views.triage_job_new, name="triage-job"),
    path(
        "<int:exhibit_id>/examinations/<int:examination_id>/new-material",
        views.new_material_download,
        name="new-material",
    ),
    path(
        "<int:exhibit_id>/examinations/<int:examination_id>/grading",
        views.grading_import,
        name="grading",
    ),
    path(
        "<int:exhibit_id>/examinations/<int:examination_id>/sample-review",
        views.sample_review,
        name="sample-review",
    ),
    path(
        "<int:exhibit_id>/examinations/<int:examination_id>/findings",
        views.findings,
        name="findings",
    ),
]
