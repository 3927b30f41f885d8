from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("search", views.case_search, name="search"),
    path("intake", views.intake, name="intake"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/transition", views.case_transition, name="transition"),
    path("<int:case_id>/person", views.case_person, name="person"),
    path("<int:case_id>/person/add/<str:kind>", views.case_person_add, name="person-add"),
    path("<int:case_id>/person/merge", views.case_person_merge, name="person-merge"),
    path("<int:case_id>/team", views.case_team, name="team"),
    path("<int:case_id>/team/<int:user_id>/remove", views.case_team_remove, name="team-remove"),
    path(
        "<int:case_id>/partners/<int:grant_id>/revoke",
        views.case_partner_revoke,
        name="partner-revoke",
    ),
    path("<int:case_id>/tasks/<int:task_id>/done", views.case_task_done, name="task-done"),
]
