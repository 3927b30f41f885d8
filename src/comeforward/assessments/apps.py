from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "comeforward.assessments"
    label = "assessments"
    verbose_name = "Independent assessment"

    def ready(self) -> None:
        from comeforward.cases.facts import register_facts_provider
        from comeforward.cases.panels import CasePanel, register_case_panel
        from comeforward.decisions.policy_facts import register_policy_facts_provider

        from .panel import assessment_panel_context
        from .selectors import assessment_facts, assessment_policy_facts

        register_facts_provider(assessment_facts)
        register_policy_facts_provider("Independent assessment", assessment_policy_facts)
        register_case_panel(
            CasePanel(
                key="assessment",
                title="Independent assessment",
                order=60,
                template="assessments/_panel.html",
                context=assessment_panel_context,
            )
        )
