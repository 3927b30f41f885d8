"""Re-encrypt every encrypted field with the current first key (key rotation)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record

from .fields import EncryptedTextField


def encrypted_fields() -> list[tuple[type, list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def field_keys_rotate(*, actor=None, batch_size: int = 500) -> dict[str, int]:
    """Decrypt with any known key and re-encrypt with the first. Returns rows per model."""
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        label = model._meta.label
        counts[label] = 0
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                rows = list(model._default_manager.filter(pk__in=pks[start : start + batch_size]))
                model._default_manager.bulk_update(rows, names)
                counts[label] += len(rows)
    audit_record(
        actor=actor,
        operation=Operation.ALTER,
        subject_type="encryption",
        scope="field_encryption.rotate",
        details={"rows": counts},
    )
    return counts
