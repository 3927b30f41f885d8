from django.urls import path, re_path

from . import views
from .api import api

urlpatterns = [
    path("docs", views.reference, name="api-reference"),
    path("", api.urls),
    # Anything else under /api/v1/ is a problem too, never an HTML page.
    re_path(r"^.*$", views.not_found, name="api-not-found"),
]
