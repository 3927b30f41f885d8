"""Reads, always through what the user may see (``cases.selectors``).

``caution_for_case(user, case)`` is the register app's way to the caution date, period,
last day and initial notification due date.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone

from comeforward.cases.selectors import case_get_for_user, cases_visible_to
from comeforward.law.dates import age_on
from comeforward.policy import DEFAULT_VERSION
from comeforward.policy.disposal import breach_route, load_disposal_rules

from .domain import DECISION_LABELS, DecisionOutcome, DecisionStatus, suggested_outcome_code
from .models import (
    CaseOutcome,
    Caution,
    CautionCondition,
    Correction,
    Decision,
    ProsecutionReferral,
    Recommendation,
    SchemeExit,
)


def _visible(user, case):
    return case_get_for_user(user, case_id=case.pk)


def latest_recommendation(user, case) -> Recommendation | None:
    case = _visible(user, case)
    return Recommendation.objects.filter(case=case).order_by("-created_at", "-pk").first()


def current_decision(user, case) -> Decision | None:
    """The decision that stands (pending or final); refused ones are history."""
    case = _visible(user, case)
    return _current_decision(case)


def _current_decision(case) -> Decision | None:
    return (
        Decision.objects.filter(case=case)
        .exclude(status=DecisionStatus.REFUSED)
        .select_related("decided_by", "approved_by", "recommendation")
        .order_by("-decided_at", "-pk")
        .first()
    )


def decision_get_for_user(user, *, case, decision_id: int) -> Decision:
    case = _visible(user, case)
    decision = Decision.objects.filter(case=case, pk=decision_id).first()
    if decision is None:
        raise Http404("No such decision")
    return decision


def decisions_for_case(user, case) -> list[Decision]:
    case = _visible(user, case)
    return list(Decision.objects.filter(case=case).select_related("decided_by", "approved_by"))


def caution_for_case(user, case) -> Caution | None:
    """The caution recorded on the case, with its conditions and notification fields
    (caution_date, notification_period, notification_last_day, initial_notification_due)."""
    case = _visible(user, case)
    return (
        Caution.objects.filter(case=case)
        .select_related("administered_by")
        .prefetch_related("conditions")
        .first()
    )


def outcome_for_case(user, case) -> CaseOutcome | None:
    case = _visible(user, case)
    return CaseOutcome.objects.filter(case=case).first()


def prosecution_referral_for_case(user, case) -> ProsecutionReferral | None:
    case = _visible(user, case)
    return ProsecutionReferral.objects.filter(case=case).order_by("-recorded_at").first()


def outcome_code_suggestion(user, case) -> str | None:
    decision = current_decision(user, case)
    referral = prosecution_referral_for_case(user, case)
    return suggested_outcome_code(
        caution_recorded=caution_for_case(user, case) is not None,
        decision=decision.outcome if decision and decision.status == DecisionStatus.FINAL else None,
        prosecution_result=referral.result if referral else None,
    )


def decisions_overview(user, case) -> dict[str, Any]:
    """Everything the case page's panel shows, scoping the case once. The caution and the
    outcome code (one per case) come with the scoping query; the caution's conditions are one
    more query only when there is a caution. O(1) queries whatever the history."""
    scoped = (
        cases_visible_to(user)
        .filter(pk=case.pk)
        .select_related("caution", "outcome")
        .prefetch_related("caution__conditions")
        .first()
    )
    if scoped is None:
        raise Http404("No such case, or you do not have access to it")
    return _holdings(scoped)


def decision_holdings(case) -> tuple[Any, dict[str, Any]]:
    """The case as stored now and what ``decisions_overview`` reads, for a case the caller
    already holds (not user-scoped: the permission rule reads it in the services,
    ``permissions``)."""
    loaded = type(case).objects.filter(pk=case.pk).select_related("caution", "outcome").first()
    loaded = loaded if loaded is not None else case
    return loaded, _holdings(loaded)


def _holdings(scoped) -> dict[str, Any]:
    return {
        "recommendation": Recommendation.objects.filter(case=scoped)
        .order_by("-created_at", "-pk")
        .first(),
        "decision": _current_decision(scoped),
        "caution": _reverse_one(scoped, "caution"),
        "referral": ProsecutionReferral.objects.filter(case=scoped)
        .order_by("-recorded_at")
        .first(),
        "outcome": _reverse_one(scoped, "outcome"),
    }


def _reverse_one(case, name: str):
    """A reverse one-to-one already loaded by ``select_related`` (``None`` when absent)."""
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def decision_facts(case) -> dict[str, Any]:
    """Workflow facts this app owns (cases.facts provider; not user-scoped: the workflow
    reads them for a case the caller already holds)."""
    decision = _current_decision(case)
    final = bool(decision and decision.status == DecisionStatus.FINAL)
    # A caution is recorded only after a final decision to divert (the CAUTIONED guard), and
    # a final decision is never replaced: without one, no query is needed.
    diverted = final and decision.outcome == DecisionOutcome.DIVERT
    caution = Caution.objects.filter(case=case).first() if diverted else None
    exit_ = SchemeExit.objects.filter(case=case, from_state=case.state).first()
    return {
        "decision_outcome": decision.outcome if decision else None,
        "decision_final": final,
        "caution_administered": caution is not None,
        "outcome_code_recorded": CaseOutcome.objects.filter(case=case).exists(),
        "breach_route_available": caution is not None and caution_allows_breach(caution),
        "scheme_exit_target": exit_.target if exit_ else None,
        "caution_date": caution.caution_date if caution else None,
        "caution_notifiable": caution.notifiable if caution else None,
        "caution_facts_missing": tuple(caution.law_result.get("missing", [])) if caution else (),
    }


def caution_allows_breach(caution: Caution) -> bool:
    """Does the disposal given allow a breach to go to prosecution (policy ``[disposals]``:
    a conditional caution yes, CJA 2003 s.24; a simple caution never)?"""
    return breach_route(disposal_rules(), caution.kind) == "prosecute_original_offence"


def breach_route_for_case(case) -> str | None:
    """The breach route of the caution on ``case`` (``None``: no caution). Not user-scoped:
    the treatment services ask it for a case they already hold."""
    caution = Caution.objects.filter(case=case).only("kind").first()
    if caution is None:
        return None
    return breach_route(disposal_rules(), caution.kind)


@functools.cache
def disposal_rules():
    """The disposal rules of the policy in force (``policy/policies/<version>.toml``)."""
    return load_disposal_rules(DEFAULT_VERSION)


def scheme_exit_for_case(user, case) -> SchemeExit | None:
    case = _visible(user, case)
    return SchemeExit.objects.filter(case=case).select_related("decided_by").first()


def corrections_for_case(user, case) -> list[Correction]:
    case = _visible(user, case)
    return list(Correction.objects.filter(case=case).select_related("corrected_by"))


def person_policy_facts(case) -> dict[str, Any]:
    """Age today from the person record, as the age at a caution given now (E1)."""
    dob = case.person.date_of_birth
    if dob is None:
        return {}
    today = timezone.localdate()
    if today < dob:
        return {}  # a date of birth in the future is no age: E1 stays unknown (fail closed)
    return {"age_at_caution": age_on(dob, today).years}


def conditions_past_deadline(
    *, before: dt.date, kinds: frozenset[str], case_states: frozenset[str]
) -> list[CautionCondition]:
    """Caution conditions of ``kinds`` whose deadline is before ``before`` on cases in
    ``case_states``, with their caution and case (one query). Not user-scoped: the daily
    sweep (``treatment.services.treatment_condition_sweep``) reads it for the system."""
    return list(
        CautionCondition.objects.filter(
            kind__in=kinds,
            deadline__lt=before,
            caution__case__state__in=case_states,
        )
        .select_related("caution__case")
        .order_by("deadline", "pk")
    )


def decisions_awaiting_approval_by(user, *, limit: int = 50) -> list[Decision]:
    """Decisions on cases the supervisor may see that wait for a second supervisor's approval
    and that someone else made (a supervisor never approves their own decision), the oldest
    first: the second supervisor's "awaiting my approval" queue (issue 20.4). Each carries
    ``outcome_label``."""
    if getattr(user, "role", None) != "supervisor":
        return []
    decisions = list(
        Decision.objects.filter(
            status=DecisionStatus.PENDING_APPROVAL,
            case__in=cases_visible_to(user).values("pk"),
        )
        .exclude(decided_by_id=user.pk)
        .select_related("case", "case__person", "decided_by")
        .order_by("decided_at", "pk")[:limit]
    )
    for decision in decisions:
        decision.outcome_label = DECISION_LABELS.get(decision.outcome, decision.outcome)
    return decisions
