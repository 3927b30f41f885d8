from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("docs", views.reference, name="api-reference"),
    path("", api.urls),
]
