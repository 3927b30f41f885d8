from django.urls import path

from . import views

app_name = "treatment"

urlpatterns = [
    path("cases/<int:case_id>/refer", views.refer, name="refer"),
    path("cases/<int:case_id>/sessions/new", views.session_new, name="session-new"),
    path("cases/<int:case_id>/notes/new", views.note_new, name="note-new"),
    path("cases/<int:case_id>/outcome", views.outcome, name="outcome"),
    path("cases/<int:case_id>/breach-reviews/new", views.breach_review_new, name="breach-new"),
    path("breach-reviews/<int:review_id>/decide", views.breach_review_decide, name="decide"),
]
