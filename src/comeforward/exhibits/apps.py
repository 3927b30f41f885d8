from django.apps import AppConfig


class ExhibitsConfig(AppConfig):
    name = "comeforward.exhibits"
    label = "exhibits"
    verbose_name = "Exhibits, custody and forensic examinations"

    def ready(self) -> None:
        from comeforward.cases.facts import register_facts_provider
        from comeforward.cases.panels import CasePanel, register_case_panel

        from . import checks  # noqa: F401 - registers the deploy check
        from .panel import exhibits_panel_context
        from .selectors import exhibits_facts

        register_facts_provider(exhibits_facts)
        register_case_panel(
            CasePanel(
                key="exhibits",
                title="Exhibits and forensic examination",
                order=30,
                template="exhibits/_panel.html",
                context=exhibits_panel_context,
            )
        )
