from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("report.pdf", views.report, name="report"),
    path("refresh", views.refresh, name="refresh"),
    path("extract", views.extract, name="extract"),
    path("extract/download", views.extract_download, name="extract-download"),
    path("follow-up", views.follow_up_new, name="follow-up"),
    path("export/<slug:table_id>.<str:fmt>", views.export, name="export"),
    path("<slug:name>", views.page, name="page"),
]
