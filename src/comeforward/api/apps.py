from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "comeforward.api"
    label = "api"
    verbose_name = "Integration API"
