from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "comeforward.statistics"
    label = "statistics"
    verbose_name = "Statistics"
