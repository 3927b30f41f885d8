from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("import", views.batch_upload, name="import"),
    path("queue", views.queue, name="queue"),
    path("review", views.review, name="review"),
    path("statistics", views.statistics, name="statistics"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/export", views.batch_export, name="export"),
    path("batches/<int:batch_id>/link", views.batch_link, name="link"),
    path("<int:lead_id>/", views.lead_detail, name="lead"),
    path("<int:lead_id>/act", views.lead_act, name="act"),
    path("links/<int:link_id>/", views.link_detail, name="link_detail"),
]
