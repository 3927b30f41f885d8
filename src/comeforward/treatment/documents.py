"""The treatment referral as a ``documents`` kind ("treatment_referral"): the person, the
case reference, the programme and provider, and the caution's conditions with their deadlines
(domain-rules §4.8 "Conditions and breach": treatment as a condition of the caution).
Generating it is audited by ``documents`` as a *disclose* (to the provider)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from comeforward.decisions.domain import CONDITION_KINDS
from comeforward.decisions.selectors import caution_for_case
from comeforward.documents.registry import DocumentKind, DocumentUnavailable
from comeforward.roles import Role

from . import selectors


def referral_context(user, case) -> dict[str, Any]:
    referral = selectors.referral_for_case(case)
    if referral is None:
        raise DocumentUnavailable("This case has not been referred for treatment")
    caution = caution_for_case(user, case)
    return {
        "referral": referral,
        "caution": caution,
        "conditions": list(caution.conditions.all()) if caution else [],
        "condition_labels": CONDITION_KINDS,
    }


REFERRAL_DOCUMENT = DocumentKind(
    key="treatment_referral",
    title=N_("Treatment referral"),
    template="treatment/pdf/referral.html",
    context=referral_context,
    roles=frozenset({Role.OFFENDER_MANAGER, Role.INVESTIGATOR, Role.SUPERVISOR}),
)
