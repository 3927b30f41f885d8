"""Writes about cases: one transaction, one audit record each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record

from .domain.states import CaseState
from .domain.workflow import check_transition
from .facts import case_facts
from .models import Case, CaseStatusChange, CaseTeamMember, PartnerGrant


def _next_reference(year: int) -> str:
    prefix = f"CF-{year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def case_open(*, actor, person, owning_organisation, route: str = "self_referral") -> Case:
    with transaction.atomic():
        case = Case.objects.create(
            reference=_next_reference(timezone.now().year),
            person=person,
            route=route,
            owning_organisation=owning_organisation,
        )
        if actor is not None and getattr(actor, "is_authenticated", False):
            CaseTeamMember.objects.create(case=case, user=actor)
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case",
            details={"route": route},
        )
    return case


def case_team_add(*, actor, case: Case, user) -> None:
    with transaction.atomic():
        CaseTeamMember.objects.get_or_create(case=case, user=user)
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.team",
            details={"added_user": user.pk},
        )


def case_partner_grant(*, actor, case: Case, organisation, role: str) -> PartnerGrant:
    with transaction.atomic():
        grant = PartnerGrant.objects.create(case=case, organisation=organisation, role=role)
        audit_record(
            actor=actor,
            operation=Operation.DISCLOSE,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.partner_access",
            justification=f"Access for {organisation.name} ({role}) to carry out its part",
            details={"organisation": organisation.code, "role": role},
        )
    return grant


def case_demo_set_state(*, case: Case, state: str) -> Case:
    """Place a synthetic demo case directly in a state (demo data only: real cases move
    through the guarded workflow)."""
    from django.conf import settings

    if not (settings.DEMO_MODE or getattr(settings, "TESTING", False)):
        raise PermissionError("Only demo data may skip the workflow")
    with transaction.atomic():
        case.state = state
        case.state_changed_at = timezone.now()
        case.save(update_fields=["state", "state_changed_at"])
        audit_record(
            actor=None,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.state",
            details={"state": state, "demo": True},
        )
    return case


def case_transition(*, actor, case: Case, to_state: str, reason: str = "") -> Case:
    """Move a case to ``to_state`` if the workflow allows it on the case's current facts.

    Raises ``CaseTransitionNotAllowed`` naming every unmet condition; otherwise writes an
    immutable status row and an audit record, in one transaction.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        check_transition(
            CaseState(case.state), CaseState(to_state), case_facts(case), reason=reason
        )
        change = CaseStatusChange.objects.create(
            case=case, from_state=case.state, to_state=to_state, actor=actor, reason=reason.strip()
        )
        case.state = to_state
        case.state_changed_at = change.at
        case.save(update_fields=["state", "state_changed_at"])
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.state",
            details={"from": change.from_state, "to": to_state},
        )
    return case
