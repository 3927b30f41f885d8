from django.urls import path

from . import transfer_views, views

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
    path("<int:record_id>/transfer", transfer_views.record_transfer_export, name="export"),
    path("transfers/", transfer_views.transfer_list, name="transfers"),
    path("transfers/import", transfer_views.transfer_import, name="transfer-import"),
    path("transfers/confirm", transfer_views.transfer_confirm, name="transfer-confirm"),
    path("transfers/<int:transfer_id>/", transfer_views.transfer_detail, name="transfer"),
    path(
        "transfers/<int:transfer_id>/accept", transfer_views.transfer_accept, name="transfer-accept"
    ),
    path(
        "transfers/<int:transfer_id>/refuse", transfer_views.transfer_refuse, name="transfer-refuse"
    ),
    path(
        "transfers/<int:transfer_id>/receipt",
        transfer_views.transfer_receipt,
        name="transfer-receipt",
    ),
]
