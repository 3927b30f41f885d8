from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("mfa/", views.mfa, name="mfa"),
    path("mfa/setup", views.mfa_setup, name="mfa-setup"),
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/deactivate", views.user_deactivate, name="user-deactivate"),
]
