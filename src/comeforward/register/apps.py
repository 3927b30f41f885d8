from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "comeforward.register"
    label = "register"
    verbose_name = "Register (notification requirements)"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import RegisterExtension

        register_extension(RegisterExtension())
