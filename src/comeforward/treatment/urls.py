"""Treatment's case pages, mounted under ``cases/<case_id>/treatment/`` by its case extension
(``cases.case_pages``; URL names ``treatment:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("refer", views.refer, name="refer"),
    path("sessions/new", views.session_new, name="session-new"),
    path("notes/new", views.note_new, name="note-new"),
    path("outcome", views.outcome, name="outcome"),
    path("breach-reviews/new", views.breach_review_new, name="breach-new"),
    path("breach-reviews/<int:review_id>/decide", views.breach_review_decide, name="decide"),
]
