from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("<int:case_id>/refer", views.refer, name="refer"),
    path("<int:case_id>/conflict", views.conflict, name="conflict"),
    path("<int:case_id>/complete", views.complete, name="complete"),
    path("<int:case_id>/share-narrative", views.share_narrative, name="share"),
]
