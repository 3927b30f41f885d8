from django.urls import path

from comeforward.accounts.views import healthz

from . import views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
]
