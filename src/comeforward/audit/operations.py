"""The processing operations DPA 2018 s.62(1) requires logs of, and outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Operation(models.TextChoices):
    COLLECT = "collect", _("Collection")
    ALTER = "alter", _("Alteration")
    CONSULT = "consult", _("Consultation")
    DISCLOSE = "disclose", _("Disclosure")
    COMBINE = "combine", _("Combination")
    ERASE = "erase", _("Erasure")


#: Operations for which s.62(2) requires the justification to be logged.
JUSTIFIED_OPERATIONS = frozenset({Operation.CONSULT, Operation.DISCLOSE})


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    DENIED = "denied", _("Refused")
    FAILED = "failed", _("Failed")
