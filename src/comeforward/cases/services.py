"""Writes about cases: one transaction, one audit record each."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError
from comeforward.roles import Role

from .domain.routes import ROUTES
from .domain.sla import DONE_WHEN, OPEN, kinds_done_by_work, kinds_done_on_entering, rules_opened_by
from .domain.states import CaseState
from .domain.workflow import check_transition
from .facts import case_facts
from .models import (
    Case,
    CaseReferenceCounter,
    CaseStatusChange,
    CaseTask,
    CaseTeamMember,
    PartnerGrant,
)
from .sla import active_rules, due_date


class UnknownRoute(DomainError):
    code = "UNKNOWN_ROUTE"


class TaskNotYours(DomainError):
    code = "TASK_NOT_YOURS"


class ReasonRequired(DomainError):
    code = "REASON_REQUIRED"


class NotOnTeam(DomainError):
    code = "NOT_ON_CASE_TEAM"


def _english(label: object) -> str:
    """A (lazily translated) label as stored text: always English, whoever writes it."""
    with override("en"):
        return str(label)


def _highest_number(prefix: str) -> int:
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return int(last.rsplit("-", 1)[1]) if last else 0


def _next_reference(year: int) -> str:
    """The next ``CF-YYYY-NNNNNN`` from the year's counter row, locked until the caller's
    transaction ends (issue 19.4): a second intake waits for the first to commit and takes
    the following number. The year's first intake creates the row (two at once: one insert
    wins, the other waits on it and then locks it). The number is also kept above the
    highest reference in the table (one indexed read under the lock)."""
    prefix = f"CF-{year}-"
    with transaction.atomic():
        counter = CaseReferenceCounter.objects.select_for_update().filter(year=year).first()
        if counter is None:
            try:
                with transaction.atomic():  # a savepoint: a lost race leaves no trace
                    counter = CaseReferenceCounter.objects.create(
                        year=year, last=_highest_number(prefix)
                    )
            except IntegrityError:
                counter = CaseReferenceCounter.objects.select_for_update().get(year=year)
        # Never below a reference made without the counter (fixtures, imported data).
        counter.last = max(counter.last, _highest_number(prefix)) + 1
        counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:06d}"


def case_lock(case: Case) -> None:
    """Lock the case's row until the caller's transaction ends (``SELECT … FOR UPDATE`` on
    PostgreSQL; SQLite serialises writers itself), so that a check-then-write about the case
    (one caution per case) cannot interleave with another (issue 19.4). Call inside
    ``transaction.atomic()``."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()


def case_open(*, actor, person, owning_organisation, route: str = "self_referral") -> Case:
    """Open a case (reference ``CF-YYYY-NNNNNN``) and start its SLA clocks (``cases.sla``)."""
    if route not in ROUTES:
        raise UnknownRoute(f"Unknown route {route!r}", details={"route": route})
    with transaction.atomic():
        case = Case.objects.create(
            reference=_next_reference(timezone.now().year),
            person=person,
            route=route,
            owning_organisation=owning_organisation,
        )
        if actor is not None and getattr(actor, "is_authenticated", False):
            CaseTeamMember.objects.create(case=case, user=actor)
        tasks = _open_tasks(case, OPEN)
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case",
            details={"route": route, "tasks": [task.kind for task in tasks]},
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


def case_team_remove(*, actor, case: Case, user, reason: str = "") -> None:
    """Take ``user`` off the case team: they stop seeing the case at once (need-to-know).
    Audited with the reason, if one is given (issue 11.7)."""
    with transaction.atomic():
        removed, _ = CaseTeamMember.objects.filter(case=case, user=user).delete()
        if not removed:
            raise NotOnTeam(f"{user.full_name} is not on the case team", details={"user": user.pk})
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.team",
            details={"removed_user": user.pk, "reason": reason.strip()},
        )


def case_partner_grant(*, actor, case: Case, organisation, role: str) -> PartnerGrant:
    """Give a partner organisation's users in ``role`` access to the case. Idempotent: a
    re-referral while a grant is in force returns that grant, adds no second one and
    discloses nothing new, so writes no audit record (issue 11.7)."""
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # serialise re-referrals
        existing = (
            PartnerGrant.objects.filter(
                case=case, organisation=organisation, role=role, revoked_at__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        grant = PartnerGrant.objects.create(case=case, organisation=organisation, role=role)
        audit_record(
            actor=actor,
            operation=Operation.DISCLOSE,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.partner_access",
            justification=(
                f"Access for {organisation.name} ({_english(Role(role).label).lower()}) to carry "
                "out its part"
            ),
            details={"organisation": organisation.code, "role": role},
        )
    return grant


def case_partner_revoke(*, actor, grant: PartnerGrant, reason: str) -> PartnerGrant:
    """End a partner organisation's access to a case, at once, with the reason (issue 11.7).
    Revoking a grant already revoked changes nothing and is refused."""
    if not (reason or "").strip():
        raise ReasonRequired("Enter why the access is being ended")
    with transaction.atomic():
        grant = (
            PartnerGrant.objects.select_for_update()
            .select_related("case", "organisation")
            .get(pk=grant.pk)
        )
        if grant.revoked_at is not None:
            raise ReasonRequired("This access has already been ended", details={"grant": grant.pk})
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=grant.case_id,
            subject_ref=grant.case.reference,
            scope="case.partner_access",
            justification=reason.strip(),
            details={
                "revoked_grant": grant.pk,
                "organisation": grant.organisation.code,
                "role": grant.role,
            },
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
        _sync_tasks(case, state, actor=None)
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
        done, opened = _sync_tasks(case, to_state, actor=actor)
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.state",
            details={
                "from": change.from_state,
                "to": to_state,
                **({"tasks_done": done} if done else {}),
                **({"tasks_opened": [task.kind for task in opened]} if opened else {}),
            },
        )
    return case


def _open_tasks(case: Case, event: str, facts=None) -> list[CaseTask]:
    """Create the tasks an event opens (one open task per kind at most; none for work that
    the case's facts already show as recorded)."""
    rules = rules_opened_by(event, active_rules())
    already = set(
        CaseTask.objects.filter(case=case, done_at__isnull=True).values_list("kind", flat=True)
    )
    start = timezone.localdate(case.state_changed_at if event != OPEN else case.created_at)
    tasks = []
    for rule in rules:
        if rule.kind in already:
            continue
        if facts is not None and rule.kind in DONE_WHEN and DONE_WHEN[rule.kind](facts):
            continue
        due, estimated = due_date(rule, start)
        label = rule.label + (
            " (due date estimated: bank holidays not yet known)" if estimated else ""
        )
        tasks.append(
            CaseTask(case=case, kind=rule.kind, label=label, assigned_role=rule.role, due=due)
        )
    return CaseTask.objects.bulk_create(tasks)


def _actor_id(actor) -> int | None:
    return actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None


def _sync_tasks(case: Case, state: str, *, actor) -> tuple[list[str], list[CaseTask]]:
    """Entering ``state`` finishes the tasks whose states the case has left or whose work is
    recorded, and opens the tasks that ``state`` starts (``cases.domain.sla``: one rule for
    every task). Returns (kinds done, tasks opened)."""
    facts = case_facts(case)
    open_kinds = set(
        CaseTask.objects.filter(case=case, done_at__isnull=True).values_list("kind", flat=True)
    )
    finished = kinds_done_on_entering(state, active_rules()) | kinds_done_by_work(facts, open_kinds)
    open_tasks = CaseTask.objects.filter(case=case, done_at__isnull=True, kind__in=finished)
    done = sorted(open_tasks.values_list("kind", flat=True))
    open_tasks.update(done_at=timezone.now(), done_by_id=_actor_id(actor))
    return done, _open_tasks(case, state, facts)


def case_tasks_reconcile(*, actor, case: Case) -> list[str]:
    """Close the open tasks whose work the case's facts now show as recorded (the services
    that record such work call this inside their transaction). One audit record when
    anything closed; nothing happens (and nothing is audited) otherwise."""
    with transaction.atomic():
        open_tasks = CaseTask.objects.filter(case=case, done_at__isnull=True)
        open_kinds = set(open_tasks.values_list("kind", flat=True))
        if not open_kinds:
            return []
        finished = kinds_done_by_work(case_facts(case), open_kinds)
        if not finished:
            return []
        closing = open_tasks.filter(kind__in=finished)
        ids = list(closing.values_list("pk", flat=True))
        closing.update(done_at=timezone.now(), done_by_id=_actor_id(actor))
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.task",
            details={"tasks": ids, "kinds": sorted(finished), "done": True, "by": "work"},
        )
    return sorted(finished)


def case_task_open(*, actor, case: Case, kind: str, label: str, role: str, due) -> CaseTask:
    """Open a task that no workflow state opens (e.g. a register record to be determined);
    one open task per kind: an open one of the same kind is returned as it is."""
    with transaction.atomic():
        task = CaseTask.objects.filter(case=case, kind=kind, done_at__isnull=True).first()
        if task is None:
            task = CaseTask.objects.create(
                case=case, kind=kind, label=label[:200], assigned_role=role, due=due
            )
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.task",
            details={"task": task.pk, "kind": kind, "opened": True},
        )
    return task


def case_tasks_close(*, actor, case: Case, kind: str) -> list[int]:
    """Mark the open tasks of ``kind`` done because their work was recorded elsewhere."""
    with transaction.atomic():
        open_tasks = CaseTask.objects.filter(case=case, kind=kind, done_at__isnull=True)
        ids = list(open_tasks.values_list("pk", flat=True))
        if ids:
            open_tasks.update(done_at=timezone.now(), done_by_id=_actor_id(actor))
            audit_record(
                actor=actor,
                operation=Operation.ALTER,
                subject_type="case",
                subject_id=case.pk,
                subject_ref=case.reference,
                scope="case.task",
                details={"tasks": ids, "kind": kind, "done": True},
            )
    return ids


def case_task_complete(*, actor, task: CaseTask) -> CaseTask:
    """Mark a task done. Only a user in the task's role (or a supervisor) may do so."""
    if actor.role not in (task.assigned_role, "supervisor"):
        raise TaskNotYours(
            "This task is for another role", details={"task": task.pk, "role": task.assigned_role}
        )
    with transaction.atomic():
        task = CaseTask.objects.select_for_update().get(pk=task.pk)
        if task.done_at is not None:
            return task  # already done (by the work, the stage or someone else): once only
        task.done_at = timezone.now()
        task.done_by = actor
        task.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="case",
            subject_id=task.case_id,
            subject_ref=task.case.reference,
            scope="case.task",
            details={"task": task.pk, "kind": task.kind, "done": True, "by": "hand"},
        )
    return task


def intake_record(
    *,
    actor,
    route: str,
    person=None,
    given_names: str = "",
    family_name: str = "",
    date_of_birth=None,
) -> Case:
    """Record a self-referral (or another route): use ``person`` if the officer chose an
    existing record after the duplicate check, else record a new person; then open the case
    in the officer's force. Only a name is required. An existing person must be one of the
    officer's own force (``PersonNotAvailable`` otherwise, whatever id was posted:
    docs/need-to-know.md)."""
    from comeforward.people import services as people_services

    if route not in ROUTES:
        raise UnknownRoute(f"Unknown route {route!r}", details={"route": route})
    if person is not None:
        people_services.person_check_attachable(actor=actor, person=person)
    with transaction.atomic():
        if person is None:
            person = people_services.person_create(
                actor=actor,
                given_names=given_names,
                family_name=family_name,
                date_of_birth=date_of_birth,
            )
        return case_open(
            actor=actor, person=person, owning_organisation=actor.organisation, route=route
        )
