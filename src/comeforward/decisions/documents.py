"""The caution record and the decision record as PDF document kinds (documents registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from comeforward.documents.registry import DocumentKind, DocumentUnavailable
from comeforward.policy import OUTCOME_LABELS
from comeforward.roles import Role

from . import selectors
from .domain import (
    CAUTION_LABELS,
    CONDITION_KINDS,
    DECISION_LABELS,
    DECISION_REASONS,
    OFFENCE_LABELS,
    SIGNATURE_LABELS,
)

LABELS = {
    "caution": CAUTION_LABELS,
    "condition": CONDITION_KINDS,
    "offence": OFFENCE_LABELS,
    "decision": DECISION_LABELS,
    "reason": DECISION_REASONS,
    "recommendation": OUTCOME_LABELS,
    "signature": SIGNATURE_LABELS,
}


def caution_context(user, case) -> dict[str, Any]:
    caution = selectors.caution_for_case(user, case)
    if caution is None:
        raise DocumentUnavailable("No caution is recorded on this case yet")
    return {"caution": caution, "conditions": list(caution.conditions.all()), "L": LABELS}


def decision_context(user, case) -> dict[str, Any]:
    decision = selectors.current_decision(user, case)
    if decision is None:
        raise DocumentUnavailable("No decision is recorded on this case yet")
    return {"decision": decision, "recommendation": decision.recommendation, "L": LABELS}


POLICE = frozenset({Role.SUPERVISOR, Role.INVESTIGATOR, Role.OFFENDER_MANAGER})

KINDS = (
    DocumentKind(
        key="caution_record",
        title=N_("Caution record"),
        template="decisions/pdf/caution.html",
        context=caution_context,
        roles=POLICE,
    ),
    DocumentKind(
        key="decision_record",
        title=N_("Decision record"),
        template="decisions/pdf/decision.html",
        context=decision_context,
        roles=frozenset({Role.SUPERVISOR, Role.INVESTIGATOR}),
    ),
)
