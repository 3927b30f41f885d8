from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "comeforward.documents"
    label = "documents"
    verbose_name = "Documents (PDF)"

    def ready(self) -> None:
        from comeforward.cases.panels import CasePanel, register_case_panel

        from .panel import documents_panel_context

        register_case_panel(
            CasePanel(
                key="documents",
                title="Documents",
                order=90,
                template="documents/_panel.html",
                context=documents_panel_context,
            )
        )
