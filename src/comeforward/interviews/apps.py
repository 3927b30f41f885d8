from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "comeforward.interviews"
    label = "interviews"
    verbose_name = "Interviews under caution"

    def ready(self) -> None:
        from comeforward.cases.facts import register_facts_provider
        from comeforward.cases.panels import CasePanel, register_case_panel

        from .panel import interviews_panel_context
        from .selectors import interviews_facts

        register_facts_provider(interviews_facts)
        register_case_panel(
            CasePanel(
                key="interview",
                title="Interview under caution",
                order=40,
                template="interviews/_panel.html",
                context=interviews_panel_context,
            )
        )
