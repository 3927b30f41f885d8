from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "comeforward.decisions"
    label = "decisions"
    verbose_name = "Eligibility, decisions, cautions and outcomes"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import DecisionsExtension

        register_extension(DecisionsExtension())
