from django.apps import AppConfig


class ExhibitsConfig(AppConfig):
    name = "comeforward.exhibits"
    label = "exhibits"
    verbose_name = "Exhibits, custody and forensic examinations"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from . import checks  # noqa: F401 - registers the deploy check
        from .extension import ExhibitsExtension

        register_extension(ExhibitsExtension())
