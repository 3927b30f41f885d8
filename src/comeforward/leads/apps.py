from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "comeforward.leads"
    label = "leads"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import LeadsExtension

        register_extension(LeadsExtension())
