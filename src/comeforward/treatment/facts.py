"""The workflow facts treatment owns (cases.facts; cases/domain/workflow.py CaseFacts)."""

from __future__ import annotations

from django.db.models import Count, Q

from .domain import AFTER_CAUTION_STATES, BreachDecision, Outcome
from .models import BreachReview, TreatmentReferral


def treatment_facts(case) -> dict[str, bool]:
    """Two queries from the caution on; none before it (nothing can exist yet)."""
    if case.state not in AFTER_CAUTION_STATES:
        return {}
    outcome = (
        TreatmentReferral.objects.filter(case_id=case.pk).values_list("outcome", flat=True).first()
    )
    reviews = BreachReview.objects.filter(case_id=case.pk).aggregate(
        open=Count("pk", filter=Q(decision="")),
        confirmed=Count("pk", filter=Q(decision=BreachDecision.CONFIRMED)),
    )
    return {
        "treatment_referred": outcome is not None,
        "treatment_completed": outcome == Outcome.COMPLETED,
        "breach_review_open": reviews["open"] > 0,
        "breach_confirmed": reviews["confirmed"] > 0,
    }
