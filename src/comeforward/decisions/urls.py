from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("<int:case_id>/recommendation", views.recommend, name="recommend"),
    path("<int:case_id>/decide", views.decide, name="decide"),
    path("<int:case_id>/approve/<int:decision_id>", views.approve, name="approve"),
    path("<int:case_id>/caution", views.caution, name="caution"),
    path("<int:case_id>/caution/correct", views.caution_correct, name="caution-correct"),
    path("<int:case_id>/outcome", views.outcome, name="outcome"),
    path("<int:case_id>/outcome/correct", views.outcome_correct, name="outcome-correct"),
    path("<int:case_id>/leave-scheme", views.leave_scheme, name="leave-scheme"),
    path("<int:case_id>/prosecution", views.prosecution, name="prosecution"),
    path("<int:case_id>/prosecution/result", views.prosecution_result, name="prosecution-result"),
]
