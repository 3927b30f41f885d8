"""The decisions app's case pages, mounted under ``cases/<case_id>/decisions/`` by its case
extension (``cases.case_pages``; URL names ``decisions:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("recommendation", views.recommend, name="recommend"),
    path("decide", views.decide, name="decide"),
    path("approve/<int:decision_id>", views.approve, name="approve"),
    path("caution", views.caution, name="caution"),
    path("caution/correct", views.caution_correct, name="caution-correct"),
    path("outcome", views.outcome, name="outcome"),
    path("outcome/correct", views.outcome_correct, name="outcome-correct"),
    path("leave-scheme", views.leave_scheme, name="leave-scheme"),
    path("prosecution", views.prosecution, name="prosecution"),
    path("prosecution/result", views.prosecution_result, name="prosecution-result"),
]
