from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("search", views.case_search, name="search"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/transition", views.case_transition, name="transition"),
]
