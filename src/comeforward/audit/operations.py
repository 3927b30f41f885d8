"""The processing operations DPA 2018 s.62(1) requires logs of, and outcomes."""

from __future__ import annotations

from django.db import models


class Operation(models.TextChoices):
    COLLECT = "collect", "Collection"
    ALTER = "alter", "Alteration"
    CONSULT = "consult", "Consultation"
    DISCLOSE = "disclose", "Disclosure"
    COMBINE = "combine", "Combination"
    ERASE = "erase", "Erasure"


#: Operations for which s.62(2) requires the justification to be logged.
JUSTIFIED_OPERATIONS = frozenset({Operation.CONSULT, Operation.DISCLOSE})


class Outcome(models.TextChoices):
    SUCCESS = "success", "Succeeded"
    DENIED = "denied", "Refused"
    FAILED = "failed", "Failed"
