"""``/enquiries/`` — the staff side."""

from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("convert", views.convert, name="convert"),
    path("statistics", views.statistics, name="statistics"),
    path("<int:enquiry_id>/", views.detail, name="detail"),
    path("<int:enquiry_id>/reply", views.reply, name="reply"),
    path("<int:enquiry_id>/tags", views.tags, name="tags"),
    path("<int:enquiry_id>/merge", views.merge, name="merge"),
]
