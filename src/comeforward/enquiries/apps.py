from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", verbosity=0, **kwargs):
    """``migrate`` also creates the database cache table when a cache uses it (issue 11.6):
    the enquiry channel's single-use tokens and load counters must be shared by every
    process (docs/adr/0201), and a missing table would fail every public page. Idempotent."""
    from django.conf import settings
    from django.core.management import call_command

    backends = {c.get("BACKEND") for c in settings.CACHES.values()}
    if "django.core.cache.backends.db.DatabaseCache" in backends:
        call_command("createcachetable", database=using, verbosity=0)


class EnquiriesConfig(AppConfig):
    name = "comeforward.enquiries"
    label = "enquiries"
    verbose_name = "Anonymous enquiries"

    def ready(self):
        from comeforward.cases.extensions import register_extension

        from .extension import EnquiriesExtension

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="cf-cache-table")
        register_extension(EnquiriesExtension())
