from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "comeforward.register"
    label = "register"
    verbose_name = "Register (notification requirements)"

    def ready(self) -> None:
        from comeforward.cases.panels import CasePanel, register_case_panel

        from .panel import panel_context

        try:
            from comeforward.documents.registry import register_document_kind
        except ImportError:  # the documents app is optional
            register_document_kind = None
        if register_document_kind is not None:
            from .notice import ENDED_LETTER, NOTICE

            register_document_kind(NOTICE)
            register_document_kind(ENDED_LETTER)

        register_case_panel(
            CasePanel(
                key="register",
                title="Notification requirements",
                order=90,
                template="register/_panel.html",
                context=panel_context,
            )
        )
