from django.urls import path

from . import views

app_name = "api-clients"

urlpatterns = [
    path("", views.clients, name="list"),
    path("new", views.client_new, name="new"),
    path("<int:client_id>/revoke", views.client_revoke, name="revoke"),
]
