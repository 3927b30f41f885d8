"""Reads about treatment, always through the case the user may see (cases.selectors).

Progress notes are clinical: only users of the treatment provider the person was referred to
read them; police users see only that notes exist (ARCHITECTURE.md §5, need-to-know).
"""

from __future__ import annotations

from django.http import Http404

from comeforward.accounts.selectors import organisations_of_kind
from comeforward.cases.selectors import case_get_for_user
from comeforward.roles import OrganisationType, Role

from .models import BreachReview, TreatmentReferral


def treatment_providers():
    return organisations_of_kind(OrganisationType.TREATMENT_PROVIDER).order_by("name")


def referral_for_case(case) -> TreatmentReferral | None:
    """The case's referral (the caller already holds a case the user may see)."""
    return TreatmentReferral.objects.select_related("provider").filter(case_id=case.pk).first()


def referral_for_provider(user, *, case_id: int) -> TreatmentReferral:
    """The referral of a case the user may see, if the user works for its provider."""
    case = case_get_for_user(user, case_id=case_id)
    referral = referral_for_case(case)
    if referral is None or not reads_notes(user, referral):
        raise Http404("No treatment referral for your organisation on this case")
    return referral


def reads_notes(user, referral: TreatmentReferral) -> bool:
    return user.role == Role.TREATMENT_PROVIDER and user.organisation_id == referral.provider_id


def referral_sessions(referral: TreatmentReferral):
    return list(referral.sessions.all())


def referral_notes(user, referral: TreatmentReferral):
    """The notes' text for the provider; ``None`` for everyone else (they get a count)."""
    if not reads_notes(user, referral):
        return None
    return list(referral.notes.select_related("author"))


def referral_note_count(referral: TreatmentReferral) -> int:
    return referral.notes.count()


def case_breach_reviews(case):
    return list(BreachReview.objects.filter(case_id=case.pk).select_related("opened_by"))


def breach_review_get_for_user(user, *, review_id: int) -> BreachReview:
    review = BreachReview.objects.select_related("case").filter(pk=review_id).first()
    if review is None:
        raise Http404("No such breach review")
    case_get_for_user(user, case_id=review.case_id)  # 404 unless the case is visible
    return review
