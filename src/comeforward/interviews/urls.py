from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("new", views.interview_new, name="new"),
]
