from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "comeforward.frontend"
    label = "frontend"
    verbose_name = "Layout, navigation and home pages"
