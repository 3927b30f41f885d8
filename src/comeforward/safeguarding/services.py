"""Writes about safeguarding: one transaction and one audit record each (domain-rules §5.2)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.extensions import require_action
from comeforward.cases.services import case_task_open, case_tasks_close, case_tasks_reconcile
from comeforward.roles import Role

from . import permissions, selectors
from .conf import bank_holidays, deadline_table
from .errors import (
    ChildRecordInvalid,
    ChildRecordNotCurrent,
    OutcomeDateInvalid,
    ReferralAlreadyClosed,
    ReferralDateInvalid,
)
from .models import ChildAccess, SafeguardingReferral, SafeguardingScreen
from .rules import (
    ACCESS_KINDS,
    AGE_BANDS,
    RELATIONSHIPS,
    ReferralKind,
    ScreenAnswers,
    add_working_days,
    referral_due,
    referral_required,
    referrals_indicated,
)


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
    require_action(actor, case, permissions.SCREEN)
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
        # A re-screen that was due (S12) has been done: its task closes.
        case_tasks_close(actor=actor, case=case, kind=RESCREEN_TASK)
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
        case_tasks_reconcile(actor=actor, case=case)
    return screen


def _latest_screen(case) -> SafeguardingScreen | None:
    return SafeguardingScreen.objects.filter(case=case).order_by("-screened_at", "-pk").first()


def safeguarding_referral_record(
    *, actor, case, kind: str, made_on: dt.date, agency: str = ""
) -> SafeguardingReferral:
    """Record that a referral was made. Its deadline runs from the latest screen's date."""
    require_action(actor, case, permissions.REFER)
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
    permissions.require(
        permissions.referral_action(actor, referral.case, referral), referral=referral.pk
    )
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


# --- Children the person has access to (S1, S12; issue 12.3) --------------------------------


def _child_values(age_band, relationship, access_kind) -> None:
    for field, value, allowed in (
        ("age_band", age_band, AGE_BANDS),
        ("relationship", relationship, RELATIONSHIPS),
        ("access_kind", access_kind, ACCESS_KINDS),
    ):
        if value not in allowed:
            raise ChildRecordInvalid(
                f"Choose the child's {field.replace('_', ' ')}",
                details={"field": field, "value": value, "allowed": sorted(allowed)},
            )


#: The case task a change about children opens (S12): in the task queue until a safeguarding
#: screen is recorded (``safeguarding_screen_record`` closes it).
RESCREEN_TASK = "safeguarding_rescreen"
#: Working days to re-run the screen after a change about children: the research gives no
#: timescale for S12 ("Re-run S2/S3/S6", domain-rules.md §5.2), so the next working day.
RESCREEN_WORKING_DAYS = 1


def _rescreen_task(actor, case) -> None:
    case_task_open(
        actor=actor,
        case=case,
        kind=RESCREEN_TASK,
        label="Re-screen safeguarding: details of a child the person has access to changed",
        role=Role.INVESTIGATOR,
        due=add_working_days(timezone.localdate(), RESCREEN_WORKING_DAYS, bank_holidays()),
    )


def _child_audit(actor, case, child: ChildAccess, action: str) -> None:
    _rescreen_task(actor, case)
    audit_record(
        actor=actor,
        operation=Operation.COLLECT,
        subject_type="case",
        subject_id=case.pk,
        subject_ref=case.reference,
        scope="case.safeguarding.child",
        details={
            "child": child.pk,
            "action": action,
            "supersedes": child.supersedes_id,
            "access_kind": child.access_kind,
            "supervised": child.supervised,
            "ended_on": child.ended_on.isoformat() if child.ended_on else None,
            "rescreen_due": True,
        },
    )


def child_access_record(
    *,
    actor,
    case,
    age_band: str,
    relationship: str,
    access_kind: str,
    supervised: bool | None,
    notes: str = "",
    source: str = "Safeguarding officer",
) -> ChildAccess:
    """Record a child the person has access to. Any change about children makes the
    safeguarding re-screen due (S12): the panel says so until a new screen is recorded."""
    require_action(actor, case, permissions.RECORD_CHILD)
    _child_values(age_band, relationship, access_kind)
    with transaction.atomic():
        child = ChildAccess.objects.create(
            case=case,
            age_band=age_band,
            relationship=relationship,
            access_kind=access_kind,
            supervised=supervised,
            notes=notes.strip(),
            source=source.strip()[:100] or "Safeguarding officer",
            recorded_by=actor,
        )
        _child_audit(actor, case, child, "recorded")
    return child


def _require_on_child(actor, child: ChildAccess, verb: str) -> None:
    """The one rule (``permissions``) for this child's record; checked again in the
    transaction (``_current``) against a concurrent change."""
    current = selectors.child_is_current(child)
    action = permissions.child_actions(actor, child.case, current=current)[verb]
    permissions.require(action, child=child.pk)


def _current(child: ChildAccess) -> None:
    if child.ended_on is not None or ChildAccess.objects.filter(supersedes=child).exists():
        raise ChildRecordNotCurrent(
            "This record has already been changed or ended: change the current one",
            details={"child": child.pk},
        )


def child_access_change(
    *,
    actor,
    child: ChildAccess,
    age_band: str,
    relationship: str,
    access_kind: str,
    supervised: bool | None,
    notes: str = "",
) -> ChildAccess:
    """A change about a child: a new record that supersedes the old (never edited in place);
    the re-screen becomes due."""
    _require_on_child(actor, child, "change_child")
    _child_values(age_band, relationship, access_kind)
    with transaction.atomic():
        child = ChildAccess.objects.select_for_update().get(pk=child.pk)
        _current(child)
        new = ChildAccess.objects.create(
            case=child.case,
            age_band=age_band,
            relationship=relationship,
            access_kind=access_kind,
            supervised=supervised,
            notes=notes.strip(),
            source=child.source,
            supersedes=child,
            recorded_by=actor,
        )
        _child_audit(actor, child.case, new, "changed")
    return new


def child_access_end(*, actor, child: ChildAccess, ended_on: dt.date) -> ChildAccess:
    """Access to the child has ended: a new record that supersedes the old, with the date."""
    _require_on_child(actor, child, "end_child")
    today = timezone.localdate()
    if ended_on > today:
        raise ChildRecordInvalid(
            "The date access ended cannot be in the future",
            details={"field": "ended_on", "ended_on": ended_on.isoformat()},
        )
    with transaction.atomic():
        child = ChildAccess.objects.select_for_update().get(pk=child.pk)
        _current(child)
        new = ChildAccess.objects.create(
            case=child.case,
            age_band=child.age_band,
            relationship=child.relationship,
            access_kind=child.access_kind,
            supervised=child.supervised,
            notes=child.notes,
            source=child.source,
            ended_on=ended_on,
            supersedes=child,
            recorded_by=actor,
        )
        _child_audit(actor, child.case, new, "ended")
    return new
