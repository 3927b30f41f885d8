from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "comeforward.cases"
    label = "cases"
    verbose_name = "Cases and workflow"
