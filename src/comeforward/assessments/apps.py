from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "comeforward.assessments"
    label = "assessments"
    verbose_name = "Independent assessment"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import AssessmentsExtension

        register_extension(AssessmentsExtension())
