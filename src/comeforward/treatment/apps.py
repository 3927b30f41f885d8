from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "comeforward.treatment"
    label = "treatment"
    verbose_name = "Treatment and breach"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import TreatmentExtension

        register_extension(TreatmentExtension())
