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
    path(
        "<int:record_id>/breaches/<int:breach_id>/outcome",
        views.breach_outcome,
        name="breach-outcome",
    ),
    path("<int:record_id>/periods/new", views.period_new, name="period-new"),
    path("<int:record_id>/periods/<int:period_id>/end", views.period_end, name="period-end"),
    path("<int:record_id>/trips/new", views.trip_new, name="trip-new"),
    path("<int:record_id>/trips/<int:trip_id>/return", views.trip_return, name="trip-return"),
    path("<int:record_id>/trips/<int:trip_id>/notice", views.trip_notice, name="trip-notice"),
    path("<int:record_id>/management", views.management_edit, name="management"),
    path("<int:record_id>/review", views.review_step, name="review"),
    path("cases/<int:case_id>/enter", views.record_enter, name="enter"),
]
