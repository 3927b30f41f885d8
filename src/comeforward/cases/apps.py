from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "comeforward.cases"
    label = "cases"
    verbose_name = "Cases and workflow"

    def ready(self) -> None:
        from .extension import IntakeExtension
        from .extensions import register_extension

        register_extension(IntakeExtension())
