from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "comeforward.treatment"
    label = "treatment"
    verbose_name = "Treatment and breach"

    def ready(self) -> None:
        from comeforward.cases.facts import register_facts_provider
        from comeforward.cases.panels import CasePanel, register_case_panel
        from comeforward.documents.registry import register_document_kind

        from .documents import REFERRAL_DOCUMENT
        from .facts import treatment_facts
        from .panel import panel_context

        register_facts_provider(treatment_facts)
        register_document_kind(REFERRAL_DOCUMENT)
        register_case_panel(
            CasePanel(
                key="treatment",
                title="Treatment and breach",
                order=80,
                template="treatment/_panel.html",
                context=panel_context,
            )
        )
