from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "comeforward.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from comeforward.cases.facts import register_facts_provider
        from comeforward.cases.panels import CasePanel, register_case_panel

        from .panel import safeguarding_panel_context
        from .selectors import safeguarding_facts

        register_facts_provider(safeguarding_facts)
        register_case_panel(
            CasePanel(
                key="safeguarding",
                title="Safeguarding",
                order=20,
                template="safeguarding/_panel.html",
                context=safeguarding_panel_context,
            )
        )
