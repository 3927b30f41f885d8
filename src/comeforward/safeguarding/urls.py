from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("screen", views.screen, name="screen"),
    path("referrals/new", views.referral_new, name="referral-new"),
    path("referrals/<int:referral_id>/outcome", views.referral_outcome, name="referral-outcome"),
    path("children/new", views.child_new, name="child-new"),
    path("children/<int:child_id>/change", views.child_change, name="child-change"),
    path("children/<int:child_id>/end", views.child_end, name="child-end"),
]
