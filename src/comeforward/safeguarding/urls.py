from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("screen", views.screen, name="screen"),
    path("referrals/new", views.referral_new, name="referral-new"),
    path("referrals/<int:referral_id>/outcome", views.referral_outcome, name="referral-outcome"),
]
