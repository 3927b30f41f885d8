from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "comeforward.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import SafeguardingExtension

        register_extension(SafeguardingExtension())
