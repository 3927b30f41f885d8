"""Reads about safeguarding, always from a case the user may see (cases.selectors)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from comeforward.cases.selectors import case_get_for_user

from .conf import bank_holidays, deadline_table
from .models import ChildAccess, SafeguardingReferral, SafeguardingScreen
from .rules import (
    CHILD_PROTECTION_KINDS,
    ReferralKind,
    ScreenAnswers,
    referral_due,
    referrals_indicated,
)


def screen_latest(case) -> SafeguardingScreen | None:
    return (
        SafeguardingScreen.objects.filter(case=case)
        .select_related("screened_by")
        .order_by("-screened_at", "-pk")
        .first()
    )


def referrals_for_case(case) -> list[SafeguardingReferral]:
    return list(
        SafeguardingReferral.objects.filter(case=case)
        .select_related("made_by", "outcome_recorded_by")
        .order_by("made_on", "pk")
    )


def referral_get_for_user(user, *, case_id: int, referral_id: int) -> SafeguardingReferral:
    case = case_get_for_user(user, case_id=case_id)
    referral = SafeguardingReferral.objects.filter(case=case, pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral on this case")
    return referral


@dataclass(frozen=True)
class OutstandingReferral:
    kind: ReferralKind
    label: str
    due_by: Any
    overdue: bool
    deadline_source: str
    needs_policy_signoff: bool


def answers_of(screen: SafeguardingScreen) -> ScreenAnswers:
    return ScreenAnswers(
        children_in_household=screen.children_in_household,
        works_with_children=screen.works_with_children,
        immediate_risk=screen.immediate_risk,
        suicide_or_self_harm_risk=screen.suicide_or_self_harm_risk,
    )


def outstanding_referrals(
    screen: SafeguardingScreen | None, referrals: list[SafeguardingReferral]
) -> list[OutstandingReferral]:
    """Referrals the latest screen indicates that have not been made since it, with due dates."""
    if screen is None:
        return []
    screened_on = timezone.localdate(screen.screened_at)
    made = {r.kind for r in referrals if r.recorded_at >= screen.screened_at}
    table, holidays, today = deadline_table(), bank_holidays(), timezone.localdate()
    result = []
    for kind in referrals_indicated(answers_of(screen)):
        if kind.value in made:
            continue
        due = referral_due(kind, screened_on, table=table, holidays=holidays)
        result.append(
            OutstandingReferral(
                kind=kind,
                label=kind.label,
                due_by=due,
                overdue=today > due,
                deadline_source=table[kind].source,
                needs_policy_signoff=table[kind].needs_policy_signoff,
            )
        )
    return result


def safeguarding_facts(case) -> dict[str, Any]:
    """Facts for the workflow guards (cases.domain.workflow.CaseFacts).

    Only child-protection referrals (children's social care, LADO, strategy discussion) count:
    they are what the guards ask for. Mental-health support referrals gate nothing.
    """
    screen = (
        SafeguardingScreen.objects.filter(case=case)
        .order_by("-screened_at", "-pk")
        .values("referral_required")
        .first()
    )
    referrals = SafeguardingReferral.objects.filter(
        case=case, kind__in=[k.value for k in CHILD_PROTECTION_KINDS]
    )
    return {
        "safeguarding_screened": screen is not None,
        "safeguarding_referral_required": bool(screen and screen["referral_required"]),
        "safeguarding_referrals_made": referrals.count(),
        "safeguarding_referrals_open": referrals.filter(outcome_on__isnull=True).count(),
    }


# --- Children the person has access to (issue 12.3) -----------------------------------------


def children_current(case) -> list[ChildAccess]:
    """The current record of each child: not superseded by a change, access not ended."""
    return list(
        ChildAccess.objects.filter(case=case, ended_on__isnull=True, superseded_by__isnull=True)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )


def child_is_current(child: ChildAccess) -> bool:
    """Neither changed (superseded) nor ended: the record a change or an end applies to."""
    return child.ended_on is None and not ChildAccess.objects.filter(supersedes=child).exists()


def children_last_change(case):
    """When anything about the children was last recorded (``None`` if never)."""
    last = ChildAccess.objects.filter(case=case).order_by("-recorded_at", "-pk").first()
    return last.recorded_at if last else None


def rescreen_due(case) -> bool:
    """The safeguarding re-screen is due (S12) when something about the children changed after
    the latest screen, or children are recorded and no screen has been."""
    changed = children_last_change(case)
    if changed is None:
        return False
    screen = screen_latest(case)
    return screen is None or screen.screened_at < changed


def child_get_for_user(user, *, case_id: int, child_id: int) -> ChildAccess:
    case = case_get_for_user(user, case_id=case_id)
    try:
        return ChildAccess.objects.get(case=case, pk=child_id)
    except ChildAccess.DoesNotExist:
        raise Http404("No such child record on this case") from None
