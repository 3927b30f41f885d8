from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "comeforward.demo"
    label = "demo"
    verbose_name = "Synthetic demo data (clearly fictional)"
