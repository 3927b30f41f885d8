from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("<int:record_id>/", views.register_detail, name="detail"),
    path("<int:record_id>/notifications/new", views.notification_new, name="notification-new"),
    path("<int:record_id>/visits/new", views.visit_new, name="visit-new"),
    path("<int:record_id>/arms/new", views.arms_new, name="arms-new"),
    path("<int:record_id>/breaches", views.breach_open, name="breach-open"),
    path("cases/<int:case_id>/enter", views.record_enter, name="enter"),
]
