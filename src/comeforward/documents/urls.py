from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:case_id>/generate", views.generate, name="generate"),
    path("<int:case_id>/<int:document_id>.pdf", views.download, name="download"),
]
