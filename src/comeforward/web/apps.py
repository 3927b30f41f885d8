from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "comeforward.web"
    label = "web"
    verbose_name = "Runtime: web server and background worker"
