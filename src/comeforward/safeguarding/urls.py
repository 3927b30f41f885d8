"""Safeguarding' case pages, mounted under ``cases/<case_id>/safeguarding/`` by its case extension
(``cases.case_pages``; URL names ``safeguarding:…``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("screen", views.screen, name="screen"),
    path("referrals/new", views.referral_new, name="referral-new"),
    path("referrals/<int:referral_id>/outcome", views.referral_outcome, name="referral-outcome"),
    path("children/new", views.child_new, name="child-new"),
    path("children/<int:child_id>/change", views.child_change, name="child-change"),
    path("children/<int:child_id>/end", views.child_end, name="child-end"),
]
