"""Writes about bulk leads: one transaction and one audit record each (DPA 2018 s.62).

Every service checks the compartment first (``selectors.leads_membership``): only the force's
leads team and named supervisors act on its batches. docs/leads.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases import services as case_services
from comeforward.errors import DomainError
from comeforward.people import selectors as people_selectors
from comeforward.people import services as people_services
from comeforward.roles import OrganisationType, Role

from . import linkage, selectors
from .domain import workflow
from .domain.fraud import indicators_for_batch
from .domain.grading import parse_grading
from .domain.priority import KIRAT_CATEGORIES, evidential_strength, safeguarding_urgency
from .domain.schema import parse_batch
from .models import (
    Lead,
    LeadActionProposal,
    LeadAnnotation,
    LeadBatch,
    LeadCorroboration,
    LeadKiratResult,
    LeadLink,
    LeadsTeamMember,
    LinkageRun,
)


class NotInCompartment(DomainError):
    code = "NOT_IN_LEADS_COMPARTMENT"


class BatchAlreadyImported(DomainError):
    code = "BATCH_ALREADY_IMPORTED"


class ProvenanceRequired(DomainError):
    code = "PROVENANCE_REQUIRED"


class CardKeyMissing(DomainError):
    code = "LEADS_CARD_KEY_MISSING"


class LeadsTeamRefused(DomainError):
    code = "LEADS_TEAM_REFUSED"


class LinkDecisionRefused(DomainError):
    code = "LINK_DECISION_REFUSED"


class KiratInvalid(DomainError):
    code = "KIRAT_INVALID"


#: Largest bulk file accepted in one import (bytes).
MAX_FILE_BYTES = 200 * 1024 * 1024


def card_key() -> bytes:
    """The key for card-number hashes (``LEADS_CARD_HMAC_KEY``, held outside the database
    like the other secrets). Without it nothing is imported (fail closed)."""
    key = getattr(settings, "LEADS_CARD_HMAC_KEY", None)
    if not key:
        raise CardKeyMissing("LEADS_CARD_HMAC_KEY is not set: bulk leads cannot be imported")
    return str(key).encode()


def _require(actor, *, supervisor: bool = False) -> str:
    membership = selectors.leads_membership(actor)
    if membership is None:
        raise NotInCompartment("Only the leads team and named supervisors can do this")
    if supervisor and membership != LeadsTeamMember.SUPERVISOR:
        raise NotInCompartment("Only a named leads supervisor can do this")
    return membership


def _require_lead(actor, lead: Lead) -> None:
    _require(actor)
    if lead.batch.organisation_id != actor.organisation_id:
        raise NotInCompartment("This lead belongs to another force")


def _audit(actor, lead_or_batch, operation: str, scope: str, **extra) -> None:
    if isinstance(lead_or_batch, Lead):
        subject_type, ref = "lead", lead_or_batch.reference
    else:
        subject_type, ref = "lead_batch", f"B{lead_or_batch.pk}"
    audit_record(
        actor=actor,
        operation=operation,
        subject_type=subject_type,
        subject_id=lead_or_batch.pk,
        subject_ref=ref,
        scope=scope,
        **extra,
    )


# --- the compartment --------------------------------------------------------------------


def leads_team_add(*, actor, user, kind: str) -> LeadsTeamMember:
    """Name ``user`` to their force's leads team (``member``) or as a named supervisor.
    Done by an administrator of that force (or the command line, ``actor=None``)."""
    if kind not in {LeadsTeamMember.MEMBER, LeadsTeamMember.SUPERVISOR}:
        raise LeadsTeamRefused("Choose member or supervisor", details={"kind": kind})
    if actor is not None and not (
        actor.has_role(Role.ADMINISTRATOR) and actor.organisation_id == user.organisation_id
    ):
        raise LeadsTeamRefused("Only an administrator of the same force can name the team")
    if user.organisation.kind != OrganisationType.POLICE_FORCE:
        raise LeadsTeamRefused("Only police force staff can be on a leads team")
    if kind == LeadsTeamMember.SUPERVISOR and user.role != Role.SUPERVISOR:
        raise LeadsTeamRefused("A named supervisor must hold the supervisor role")
    if kind == LeadsTeamMember.MEMBER and user.role not in selectors.MEMBER_ROLES:
        raise LeadsTeamRefused("This role cannot be on a leads team")
    with transaction.atomic():
        member = LeadsTeamMember.objects.create(
            organisation_id=user.organisation_id, user=user, kind=kind, added_by=actor
        )
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="leads_team",
            subject_id=member.pk,
            scope="leads.team",
            details={"user": user.email, "kind": kind},
        )
    return member


# --- import ------------------------------------------------------------------------------


def batch_import(
    *,
    actor,
    kind: str,
    filename: str,
    data: bytes,
    source: str,
    legal_basis: str,
    grading: str,
) -> LeadBatch:
    """Import a bulk file whole, or nothing (users-and-security §2.4 #8)."""
    _require(actor)
    missing = [
        name
        for name, value in (("source", source), ("legal_basis", legal_basis))
        if not value.strip()
    ]
    if missing:
        raise ProvenanceRequired(
            "A bulk file needs its source and legal basis", details={"missing": missing}
        )
    graded = parse_grading(grading)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            "The file is too large", code="BATCH_TOO_LARGE", details={"max_bytes": MAX_FILE_BYTES}
        )
    parsed = parse_batch(kind, filename, data, card_key=card_key())
    digest = hashlib.sha256(data).hexdigest()
    if LeadBatch.objects.filter(organisation_id=actor.organisation_id, sha256=digest).exists():
        raise BatchAlreadyImported(
            "This file has already been imported", details={"sha256": digest}
        )
    fields = [dict(row.fields, line=row.line) for row in parsed.rows]
    found = indicators_for_batch(fields)
    with transaction.atomic():
        batch = LeadBatch.objects.create(
            organisation_id=actor.organisation_id,
            kind=kind,
            file_format=parsed.file_format,
            filename=filename[:255],
            sha256=digest,
            size=len(data),
            content=data.decode("utf-8-sig"),
            source=source.strip(),
            legal_basis=legal_basis.strip(),
            grading_source=graded.source,
            grading_intelligence=graded.intelligence,
            grading_handling=graded.handling,
            row_count=len(parsed.rows),
            imported_by=actor,
        )
        now = timezone.now()
        Lead.objects.bulk_create(
            [
                Lead(
                    batch=batch,
                    line=row.line,
                    original=row.original,
                    imported=row.fields,
                    indicators=[ind.as_dict() for ind in indicators],
                    fraud_path=bool(indicators),
                    full_name=row.fields.get("full_name", "")[:300],
                    date_of_birth=(
                        dt.date.fromisoformat(row.fields["date_of_birth"])
                        if row.fields.get("date_of_birth")
                        else None
                    ),
                    card_hash=row.fields.get("card_hash", ""),
                    ip=row.fields.get("ip", "")[:64],
                    urgency=safeguarding_urgency(access_to_children=None, kirat=None).level,
                    created_at=now,
                    updated_at=now,
                )
                for row, indicators in zip(parsed.rows, found, strict=True)
            ]
        )
        _audit(
            actor,
            batch,
            Operation.COLLECT,
            "leads.batch",
            details={
                "kind": kind,
                "sha256": digest,
                "rows": len(parsed.rows),
                "source": batch.source,
                "legal_basis": batch.legal_basis,
                "grading": str(graded),
                "fraud_path": sum(1 for i in found if i),
            },
        )
    return batch


# --- annotations, corroboration, checks ----------------------------------------------------


def lead_annotate(*, actor, lead: Lead, text: str) -> LeadAnnotation:
    _require_lead(actor, lead)
    if not text.strip():
        raise DomainError("Enter the annotation", code="ANNOTATION_REQUIRED")
    with transaction.atomic():
        note = LeadAnnotation.objects.create(lead=lead, author=actor, text=text.strip())
        _audit(actor, lead, Operation.COLLECT, "leads.annotation", details={"annotation": note.pk})
    return note


def lead_corroborate(
    *, actor, lead: Lead, kind: str, source: str, summary: str, reference: str = ""
) -> LeadCorroboration:
    """Record independent corroboration (device or account evidence, a reference-set hash
    match, subscriber data). Its source must differ from the bulk file's."""
    _require_lead(actor, lead)
    workflow.check_open(lead.state)
    if kind not in workflow.CORROBORATION_KINDS:
        raise DomainError(
            "Choose the kind of corroboration",
            code="CORROBORATION_INVALID",
            details={"kinds": sorted(workflow.CORROBORATION_KINDS)},
        )
    if not source.strip() or not summary.strip():
        raise DomainError("Give the source and a summary", code="CORROBORATION_INVALID")
    if source.strip().lower() == lead.batch.source.strip().lower():
        raise DomainError(
            "Corroboration must come from a source other than the bulk file itself",
            code="CORROBORATION_NOT_INDEPENDENT",
        )
    with transaction.atomic():
        item = LeadCorroboration.objects.create(
            lead=lead,
            kind=kind,
            source=source.strip(),
            reference=reference.strip(),
            summary=summary.strip(),
            recorded_by=actor,
        )
        _touch(lead)
        _audit(actor, lead, Operation.COLLECT, "leads.corroboration", details={"kind": kind})
    return item


def _touch(lead: Lead, *fields: str) -> None:
    lead.updated_at = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(
        updated_at=lead.updated_at, **{name: getattr(lead, name) for name in fields}
    )


def _recompute_urgency(lead: Lead) -> None:
    kirat = lead.kirat_results.order_by("-assessed_on", "-pk").first()
    lead.urgency = safeguarding_urgency(
        access_to_children=lead.access_to_children, kirat=kirat.category if kirat else None
    ).level


def lead_record_access_check(*, actor, lead: Lead, access_to_children: bool) -> Lead:
    """The result of checks on access to children (users-and-security §2.4 #11)."""
    _require_lead(actor, lead)
    workflow.check_open(lead.state)
    with transaction.atomic():
        lead.access_to_children = access_to_children
        lead.access_checked_by = actor
        _recompute_urgency(lead)
        _touch(lead, "access_to_children", "access_checked_by", "urgency")
        _audit(
            actor,
            lead,
            Operation.COLLECT,
            "leads.safeguarding",
            details={"access_to_children": access_to_children, "urgency": lead.urgency},
        )
    return lead


def lead_record_kirat(
    *, actor, lead: Lead, category: str, version: str, assessor: str, assessed_on: dt.date
) -> LeadKiratResult:
    """A KIRAT result as supplied (domain-rules §3.6): category, version, assessor, date."""
    _require_lead(actor, lead)
    if category not in KIRAT_CATEGORIES:
        raise KiratInvalid("Choose the KIRAT category", details={"categories": KIRAT_CATEGORIES})
    if not version.strip() or not assessor.strip():
        raise KiratInvalid("Give the KIRAT version and the assessor")
    if assessed_on > timezone.localdate():
        raise KiratInvalid("The assessment date cannot be in the future")
    with transaction.atomic():
        result = LeadKiratResult.objects.create(
            lead=lead,
            category=category,
            version=version.strip(),
            assessor=assessor.strip(),
            assessed_on=assessed_on,
            recorded_by=actor,
        )
        _recompute_urgency(lead)
        _touch(lead, "urgency")
        _audit(
            actor,
            lead,
            Operation.COLLECT,
            "leads.kirat",
            details={"category": category, "version": result.version, "urgency": lead.urgency},
        )
    return result


def lead_strength(lead: Lead) -> tuple[str, str]:
    kinds = {
        c.kind
        for c in lead.corroborations.all()
        if c.source.strip().lower() != lead.batch.source.strip().lower()
    }
    return evidential_strength(
        independent_corroboration_kinds=len(kinds),
        fraud_indicators=len(lead.indicators),
        linked_to_person=selectors.confirmed_person_id(lead) is not None,
    )


# --- the gate -------------------------------------------------------------------------------


def lead_propose_action(*, actor, lead: Lead, action: str, rationale: str) -> LeadActionProposal:
    _require_lead(actor, lead)
    if lead.state != workflow.RECEIVED:
        raise workflow.LeadTransitionNotAllowed(
            "An action can be proposed only on a lead just received",
            details={"state": lead.state},
        )
    if action not in workflow.ACTIONS or not rationale.strip():
        raise workflow.LeadTransitionNotAllowed(
            "Choose the action and explain why", details={"actions": sorted(workflow.ACTIONS)}
        )
    with transaction.atomic():
        proposal = LeadActionProposal.objects.create(
            lead=lead, action=action, rationale=rationale.strip(), proposed_by=actor
        )
        lead.state = workflow.ACTION_PROPOSED
        _touch(lead, "state")
        _audit(actor, lead, Operation.ALTER, "leads.workflow", details={"proposed": action})
    return proposal


def authorisation_blockers(*, actor, lead: Lead) -> list[str]:
    proposal = selectors.lead_current_proposal(lead)
    return workflow.authorisation_blockers(
        state=lead.state,
        corroborations=[
            workflow.Corroboration(kind=c.kind, source=c.source) for c in lead.corroborations.all()
        ],
        batch_source=lead.batch.source,
        proposal=(
            workflow.Proposal(action=proposal.action, proposer_id=proposal.proposed_by_id)
            if proposal and proposal.approved_at is None
            else None
        ),
        approver_id=actor.pk,
        approver_is_supervisor=selectors.is_named_supervisor(actor),
    )


def lead_authorise_action(*, actor, lead: Lead, note: str) -> LeadActionProposal:
    """The corroboration gate: ≥1 independent corroboration and a named supervisor other
    than the proposer (users-and-security §2.4 #7)."""
    _require_lead(actor, lead)
    blockers = authorisation_blockers(actor=actor, lead=lead)
    if blockers:
        raise workflow.LeadTransitionNotAllowed(
            "Action cannot be authorised yet: " + "; ".join(blockers),
            details={"blockers": blockers},
        )
    if lead.fraud_path and not note.strip():
        raise workflow.LeadTransitionNotAllowed(
            "This lead has fraud indicators: say how the corroboration answers them"
        )
    proposal = selectors.lead_current_proposal(lead)
    assert proposal is not None
    with transaction.atomic():
        proposal.approved_by = actor
        proposal.approved_at = timezone.now()
        proposal.approval_note = note.strip()
        proposal.save(update_fields=["approved_by", "approved_at", "approval_note"])
        lead.state = workflow.ACTION_AUTHORISED
        _touch(lead, "state")
        _audit(
            actor,
            lead,
            Operation.ALTER,
            "leads.workflow",
            details={"authorised": proposal.action, "proposed_by": proposal.proposed_by_id},
        )
    return proposal


def lead_no_further_action(*, actor, lead: Lead, reason: str, text: str) -> Lead:
    _require_lead(actor, lead)
    workflow.check_open(lead.state)
    workflow.check_nfa_reason(reason, on_fraud_path=lead.fraud_path, text=text)
    with transaction.atomic():
        lead.state = workflow.NFA
        lead.nfa_reason = reason
        lead.nfa_text = text.strip()
        _touch(lead, "state", "nfa_reason", "nfa_text")
        _audit(actor, lead, Operation.ALTER, "leads.outcome", details={"nfa": reason})
    return lead


def lead_open_case(*, actor, lead: Lead):
    """Turn an authorised lead into an investigation case (route ``intelligence_lead``) on
    the linked person, or on a new person recorded from the lead's name."""
    _require_lead(actor, lead)
    if lead.state != workflow.ACTION_AUTHORISED:
        raise workflow.LeadTransitionNotAllowed(
            "A case is opened only once action has been authorised",
            details={"state": lead.state},
        )
    fields = lead.imported
    with transaction.atomic():
        person_id = selectors.confirmed_person_id(lead)
        if person_id is not None:
            person = people_selectors.person_for_lead_case(
                person_id, organisation_id=actor.organisation_id
            )
        else:
            person = people_services.person_create(
                actor=actor,
                given_names=fields.get("given_names", ""),
                family_name=fields.get("family_name", "") or "Unknown",
                date_of_birth=lead.date_of_birth,
            )
        case = case_services.case_open(
            actor=actor,
            person=person,
            owning_organisation=actor.organisation,
            route="intelligence_lead",
        )
        lead.state = workflow.CASE_OPENED
        lead.case = case
        lead.person = person
        _touch(lead, "state", "case", "person")
        _audit(actor, lead, Operation.ALTER, "leads.outcome", details={"case": case.reference})
    return case


# --- linkage --------------------------------------------------------------------------------


def _lead_record(lead: Lead) -> dict[str, Any]:
    f = lead.imported
    return {
        "unique_id": f"L{lead.pk}",
        "source": "lead",
        "first_name": (f.get("given_names") or "").lower().split(" ")[0],
        "surname": (f.get("family_name") or "").lower(),
        "dob": f.get("date_of_birth") or None,
        "postcode": f.get("postcode") or None,
        "address": (f.get("address") or "").lower() or None,
        "email": f.get("email") or None,
        "phone": f.get("phone") or None,
    }


def _person_record(person: dict[str, Any]) -> dict[str, Any]:
    dob = person.get("date_of_birth")
    return {
        "unique_id": f"P{person['person_id']}",
        "source": "person",
        "first_name": (person.get("given_names") or "").lower().split(" ")[0],
        "surname": (person.get("family_name") or "").lower(),
        "dob": dob.isoformat() if dob else None,
        "postcode": (person.get("postcode") or "").replace(" ", "").upper() or None,
        "address": (person.get("address") or "").lower() or None,
        "email": (person.get("email") or "").lower() or None,
        "phone": (person.get("phone") or "").replace(" ", "") or None,
    }


def batch_link(*, actor, batch: LeadBatch, db_api=None) -> LinkageRun:
    """Dedupe the batch and link it to the force's people with Splink; store every proposed
    link (at or above the review weight) with its waterfall."""
    _require(actor)
    if batch.organisation_id != actor.organisation_id:
        raise NotInCompartment("This batch belongs to another force")
    leads = list(batch.leads.all())
    people = people_selectors.people_for_linkage(organisation_id=batch.organisation_id)
    records = [_lead_record(lead) for lead in leads] + [_person_record(p) for p in people]
    result = linkage.link(records, db_api=db_api)
    by_id = {f"L{lead.pk}": lead for lead in leads}
    with transaction.atomic():
        run = LinkageRun.objects.create(
            batch=batch,
            backend=type(db_api).__name__ if db_api else "DuckDBAPI",
            parameters=result.parameters,
            started_by=actor,
            people_compared=len(people),
            pairs_scored=result.pairs_scored,
        )
        LeadLink.objects.bulk_create(
            [
                LeadLink(
                    run=run,
                    lead=by_id[pair.left],
                    other_lead=by_id.get(pair.right) if pair.right.startswith("L") else None,
                    person_id=int(pair.right[1:]) if pair.right.startswith("P") else None,
                    match_weight=pair.match_weight,
                    match_probability=pair.match_probability,
                    explanation=pair.waterfall,
                    band=pair.band,
                )
                for pair in result.pairs
            ]
        )
        _audit(
            actor,
            batch,
            Operation.COMBINE,
            "leads.linkage",
            details={
                "people_compared": len(people),
                "links": len(result.pairs),
                "review": sum(1 for p in result.pairs if p.band == "review"),
                "notes": result.parameters.get("notes", []),
            },
        )
    return run


def link_decide(*, actor, link: LeadLink, decision: str, note: str) -> LeadLink:
    """A reviewer confirms or rejects a proposed link (clerical review), with a note."""
    _require_lead(actor, link.lead)
    if decision not in {LeadLink.CONFIRMED, LeadLink.REJECTED}:
        raise LinkDecisionRefused("Choose confirm or reject")
    if link.decision != LeadLink.PENDING:
        raise LinkDecisionRefused("This link has already been decided")
    if not note.strip():
        raise LinkDecisionRefused("Say why")
    with transaction.atomic():
        link.decision = decision
        link.decided_by = actor
        link.decided_at = timezone.now()
        link.decision_note = note.strip()
        link.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        _audit(
            actor,
            link.lead,
            Operation.COMBINE,
            "leads.link_review",
            details={"link": link.pk, "decision": decision, "weight": round(link.match_weight, 2)},
        )
    return link


# --- bulk views and exports ------------------------------------------------------------------


def watermark(actor, when: dt.datetime) -> str:
    return (
        f"{getattr(settings, 'PROTECTIVE_MARKING', 'OFFICIAL-SENSITIVE')} — bulk leads — "
        f"{actor.email} — {when.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
    )


def batch_export(*, actor, batch: LeadBatch, justification: str) -> str:
    """The batch as CSV (derived values and workflow state), watermarked with who and when
    on the first line and audited as a disclosure with its justification."""
    _require(actor)
    if batch.organisation_id != actor.organisation_id:
        raise NotInCompartment("This batch belongs to another force")
    now = timezone.now()
    out = io.StringIO()
    out.write(f"# {watermark(actor, now)}\n")
    writer = csv.writer(out)
    writer.writerow(
        [
            "lead",
            "line",
            "name",
            "date_of_birth",
            "card_last4",
            "ip",
            "state",
            "fraud_path",
            "urgency",
            "indicators",
        ]
    )
    for lead in batch.leads.order_by("line"):
        writer.writerow(
            [
                lead.reference,
                lead.line,
                lead.full_name,
                lead.imported.get("date_of_birth") or "",
                lead.imported.get("card_last4", ""),
                lead.ip,
                lead.state,
                lead.fraud_path,
                lead.urgency,
                ";".join(i["code"] for i in lead.indicators),
            ]
        )
    _audit(
        actor,
        batch,
        Operation.DISCLOSE,
        "leads.export",
        justification=justification,
        details={"rows": batch.row_count, "watermark": watermark(actor, now)},
    )
    return out.getvalue()
