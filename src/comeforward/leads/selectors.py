"""Reads about bulk leads, always scoped to the compartment (users-and-security §2.4 #12).

A force's batches and their leads are visible only to its leads team and its named
supervisors (``LeadsTeamMember``), and only while the member still belongs to that force and
holds a police role that fits. Nobody else sees them — not other supervisors, not
administrators, not analysts (who get counts only: :func:`outcome_statistics`).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404

from comeforward.roles import Role

from .domain import workflow
from .domain.priority import URGENCIES
from .models import (
    Lead,
    LeadActionProposal,
    LeadBatch,
    LeadLink,
    LeadsTeamMember,
    LinkageRun,
)

#: Roles that may be named to a leads team (police investigative roles).
MEMBER_ROLES = frozenset({Role.INVESTIGATOR, Role.INTAKE_OFFICER, Role.SUPERVISOR})


def _active(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return LeadsTeamMember.objects.none()
    return LeadsTeamMember.objects.filter(
        user=user, organisation_id=user.organisation_id, removed_at__isnull=True
    )


def leads_membership(user) -> str | None:
    """``"supervisor"``, ``"member"`` or ``None`` for this user in their own force."""
    kinds = set(_active(user).values_list("kind", flat=True))
    if LeadsTeamMember.SUPERVISOR in kinds and user.role == Role.SUPERVISOR:
        return LeadsTeamMember.SUPERVISOR
    if LeadsTeamMember.MEMBER in kinds and user.role in MEMBER_ROLES:
        return LeadsTeamMember.MEMBER
    return None


def in_compartment(user) -> bool:
    return leads_membership(user) is not None


def is_named_supervisor(user) -> bool:
    return leads_membership(user) == LeadsTeamMember.SUPERVISOR


def batches_visible_to(user):
    if not in_compartment(user):
        return LeadBatch.objects.none()
    return LeadBatch.objects.filter(organisation_id=user.organisation_id)


def leads_visible_to(user):
    return Lead.objects.filter(batch__in=batches_visible_to(user))


def batch_get_for_user(user, *, batch_id: int) -> LeadBatch:
    batch = batches_visible_to(user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def lead_get_for_user(user, *, lead_id: int) -> Lead:
    lead = leads_visible_to(user).select_related("batch").filter(pk=lead_id).first()
    if lead is None:
        raise Http404
    return lead


def batch_leads(batch: LeadBatch) -> list[Lead]:
    return list(batch.leads.order_by("line"))


def lead_queue(user, *, limit: int = 200) -> list[Lead]:
    """Open leads, most urgent first (then oldest first): the action queue."""
    rank = Case(
        *[When(urgency=level, then=Value(index)) for index, level in enumerate(URGENCIES)],
        default=Value(len(URGENCIES)),
        output_field=IntegerField(),
    )
    return list(
        leads_visible_to(user)
        .filter(state__in=workflow.OPEN_STATES)
        .select_related("batch")
        .annotate(urgency_rank=rank)
        .order_by("urgency_rank", "created_at", "batch_id", "line")[:limit]
    )


def lead_current_proposal(lead: Lead) -> LeadActionProposal | None:
    return lead.proposals.order_by("-proposed_at", "-pk").first()


def lead_links(lead: Lead) -> list[LeadLink]:
    return list(
        LeadLink.objects.filter(Q(lead=lead) | Q(other_lead=lead))
        .select_related("lead", "other_lead", "person", "decided_by")
        .order_by("-match_weight")
    )


def link_get_for_user(user, *, link_id: int) -> LeadLink:
    link = (
        LeadLink.objects.filter(lead__in=leads_visible_to(user), pk=link_id)
        .select_related("lead", "other_lead", "person")
        .first()
    )
    if link is None:
        raise Http404
    return link


def review_queue(user) -> list[LeadLink]:
    """Proposed links in the uncertain band still awaiting a reviewer's decision."""
    return list(
        LeadLink.objects.filter(
            lead__in=leads_visible_to(user), band=LeadLink.REVIEW, decision=LeadLink.PENDING
        )
        .select_related("lead", "other_lead", "person")
        .order_by("-match_weight")
    )


def batch_runs(batch: LeadBatch) -> list[LinkageRun]:
    return list(batch.linkage_runs.order_by("-started_at"))


def confirmed_person_id(lead: Lead) -> int | None:
    """The person a lead is linked to: a confirmed link, or one above the threshold that no
    reviewer rejected (the highest weight wins)."""
    link = (
        LeadLink.objects.filter(lead=lead, person__isnull=False)
        .exclude(decision=LeadLink.REJECTED)
        .filter(Q(decision=LeadLink.CONFIRMED) | Q(band=LeadLink.AUTO))
        .order_by("-match_weight")
        .first()
    )
    return link.person_id if link else None


def lead_for_case(user, case) -> Lead | None:
    """The lead a case came from, if the user is in the compartment."""
    return leads_visible_to(user).filter(case_id=case.pk).select_related("batch").first()


def lead_origin_known(case) -> bool:
    return Lead.objects.filter(case_id=case.pk).exists()


def outcome_statistics(*, organisation_id: int) -> dict[str, int]:
    """Counts per outcome for a force: "NFA — possible fraud victim" is its own line
    (check 13), never folded into NFA or into the cases opened."""
    counts: Counter[str] = Counter()
    for state, reason in Lead.objects.filter(batch__organisation_id=organisation_id).values_list(
        "state", "nfa_reason"
    ):
        if state == workflow.NFA:
            counts[f"nfa_{reason}"] += 1
        else:
            counts[state] += 1
    return dict(sorted(counts.items()))
