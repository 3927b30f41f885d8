from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "comeforward.people"
    label = "people"
    verbose_name = "People"
