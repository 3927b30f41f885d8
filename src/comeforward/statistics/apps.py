from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "comeforward.statistics"
    label = "statistics"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import StatisticsExtension

        register_extension(StatisticsExtension())
