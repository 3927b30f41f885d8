from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "comeforward.documents"
    label = "documents"
    verbose_name = "Documents (PDF)"

    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension

        from .extension import DocumentsExtension

        register_extension(DocumentsExtension())
