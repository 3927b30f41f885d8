from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "comeforward.interviews"
    label = "interviews"
    verbose_name = "Interviews under caution"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import InterviewsExtension

        register_extension(InterviewsExtension())
