from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "comeforward.audit"
    label = "audit"
    verbose_name = "Audit (DPA 2018 s.62 logging)"
