from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "comeforward.decisions"
    label = "decisions"
    verbose_name = "Eligibility, decisions, cautions and outcomes"

    def ready(self) -> None:
        from comeforward.cases.facts import register_facts_provider
        from comeforward.cases.panels import CasePanel, register_case_panel
        from comeforward.documents.registry import register_document_kind

        from . import sources
        from .documents import KINDS
        from .panel import decisions_panel_context
        from .policy_facts import register_policy_facts_provider
        from .selectors import decision_facts, person_policy_facts

        for kind in KINDS:
            register_document_kind(kind)
        register_facts_provider(decision_facts)
        register_policy_facts_provider("Person record (age today)", person_policy_facts)
        register_policy_facts_provider(sources.SCREEN, sources.safeguarding_policy_facts)
        register_policy_facts_provider(sources.CHILDREN, sources.children_policy_facts)
        register_policy_facts_provider(sources.INTAKE, sources.intake_policy_facts)
        register_policy_facts_provider(sources.INTERVIEW, sources.interview_policy_facts)
        register_policy_facts_provider(sources.REGISTER, sources.register_policy_facts)
        register_policy_facts_provider(sources.EXAMINATIONS, sources.exhibits_policy_facts)
        register_case_panel(
            CasePanel(
                key="decision",
                title="Eligibility and decision",
                order=70,
                template="decisions/_panel.html",
                context=decisions_panel_context,
            )
        )
