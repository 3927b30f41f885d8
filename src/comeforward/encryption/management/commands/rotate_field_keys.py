import json

from django.core.management.base import BaseCommand

from comeforward.encryption.services import field_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the first key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps({"rotated": field_keys_rotate()}))
