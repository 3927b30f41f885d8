from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("reason", views.access_reason, name="reason"),
    path("trail", views.trail, name="trail"),
]
