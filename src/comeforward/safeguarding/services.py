"""Writes about safeguarding: one transaction and one audit record each (domain-rules §5.2)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record

from .conf import bank_holidays, deadline_table
from .errors import OutcomeDateInvalid, ReferralAlreadyClosed, ReferralDateInvalid
from .models import SafeguardingReferral, SafeguardingScreen
from .rules import ReferralKind, ScreenAnswers, referral_due, referral_required, referrals_indicated


def safeguarding_screen_record(
    *,
    actor,
    case,
    children_in_household: bool,
    works_with_children: bool,
    immediate_risk: bool,
    suicide_or_self_harm_risk: bool,
    notes: str = "",
) -> SafeguardingScreen:
    """Record a screen (S1); whether a child-protection referral is required follows from it."""
    answers = ScreenAnswers(
        children_in_household=children_in_household,
        works_with_children=works_with_children,
        immediate_risk=immediate_risk,
        suicide_or_self_harm_risk=suicide_or_self_harm_risk,
    )
    with transaction.atomic():
        screen = SafeguardingScreen.objects.create(
            case=case,
            children_in_household=children_in_household,
            works_with_children=works_with_children,
            immediate_risk=immediate_risk,
            suicide_or_self_harm_risk=suicide_or_self_harm_risk,
            notes=notes.strip(),
            referral_required=referral_required(answers),
            screened_by=actor,
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.safeguarding.screen",
            details={
                "screen": screen.pk,
                "referral_required": screen.referral_required,
                "indicated": [k.value for k in referrals_indicated(answers)],
            },
        )
    return screen


def _latest_screen(case) -> SafeguardingScreen | None:
    return SafeguardingScreen.objects.filter(case=case).order_by("-screened_at", "-pk").first()


def safeguarding_referral_record(
    *, actor, case, kind: str, made_on: dt.date, agency: str = ""
) -> SafeguardingReferral:
    """Record that a referral was made. Its deadline runs from the latest screen's date."""
    kind = ReferralKind(kind)
    today = timezone.localdate()
    if made_on > today:
        raise ReferralDateInvalid(
            "The date the referral was made cannot be in the future",
            details={"made_on": made_on.isoformat(), "today": today.isoformat()},
        )
    with transaction.atomic():
        screen = _latest_screen(case)
        due_by = (
            referral_due(
                kind,
                timezone.localdate(screen.screened_at),
                table=deadline_table(),
                holidays=bank_holidays(),
            )
            if screen is not None
            else None
        )
        referral = SafeguardingReferral.objects.create(
            case=case,
            kind=kind,
            agency=agency.strip(),
            made_on=made_on,
            due_by=due_by,
            made_by=actor,
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.safeguarding.referral",
            details={
                "referral": referral.pk,
                "kind": kind.value,
                "made_on": made_on.isoformat(),
                "due_by": due_by.isoformat() if due_by else None,
            },
        )
    return referral


def safeguarding_referral_outcome_record(
    *, actor, referral: SafeguardingReferral, outcome: str, outcome_on: dt.date
) -> SafeguardingReferral:
    """Close a referral with its outcome (which lets a decision be made, workflow guard)."""
    today = timezone.localdate()
    if outcome_on > today or outcome_on < referral.made_on:
        raise OutcomeDateInvalid(
            "The outcome date must be between the date the referral was made and today",
            details={"outcome_on": outcome_on.isoformat(), "made_on": referral.made_on.isoformat()},
        )
    with transaction.atomic():
        referral = SafeguardingReferral.objects.select_for_update().get(pk=referral.pk)
        if not referral.is_open:
            raise ReferralAlreadyClosed(
                "This referral's outcome is already recorded",
                details={"referral": referral.pk},
            )
        referral.outcome = outcome.strip()
        referral.outcome_on = outcome_on
        referral.outcome_recorded_by = actor
        referral.save(update_fields=["outcome", "outcome_on", "outcome_recorded_by"])
        case = referral.case
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.safeguarding.referral",
            details={"referral": referral.pk, "outcome_on": outcome_on.isoformat()},
        )
    return referral
