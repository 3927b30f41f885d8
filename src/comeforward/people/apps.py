from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "comeforward.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import PeopleExtension

        register_extension(PeopleExtension())
