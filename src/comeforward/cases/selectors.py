"""Reads about cases, always starting from what the user may see."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from comeforward.people import selectors as people_selectors

from .domain.sla import due_status
from .domain.states import CaseState
from .domain.workflow import allowed_targets, unmet_conditions
from .extensions import search_hits
from .facts import case_facts
from .models import (
    Case,
    CaseStatusChange,
    CaseTask,
    CaseTeamMember,
    PartnerGrant,
    visible_case_ids,
)

#: Most rows any list, queue or search page reads, whatever the size of the database.
PAGE_LIMIT = 100
_REFERENCE = re.compile(r"^CF-\d{0,4}(-\d{0,6})?$", re.IGNORECASE)
_NI = re.compile(r"^[A-Z]{2}\d{6}[A-D]$")
_PNC = re.compile(r"^(\d{2}|\d{4})/\d{1,7}[A-Z]$")


def cases_visible_to(user):
    return Case.objects.visible_to(user).select_related("person")


def case_get_for_user(user, *, case_id: int) -> Case:
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case, or you do not have access to it")
    return case


def case_get_by_reference_for_user(user, *, reference: str) -> Case:
    case = cases_visible_to(user).filter(reference=reference.strip().upper()).first()
    if case is None:
        raise Http404("No such case, or you do not have access to it")
    return case


#: Police roles a supervisor may allocate to a case team (supervisors see every case of their
#: force already; partners get access by a ``PartnerGrant``, ARCHITECTURE.md §5).
TEAM_ROLES = ("intake_officer", "investigator", "forensic_examiner", "offender_manager")


def case_team(case: Case) -> list:
    """The users on the case team (need-to-know, ARCHITECTURE.md §5), by name."""
    return [m.user for m in case.team.select_related("user").order_by("user__full_name")]


def case_team_member(case: Case, *, user_id: int):
    """A member of the case team by user id (404 if not on the team)."""
    member = case.team.select_related("user").filter(user_id=user_id).first()
    if member is None:
        raise Http404("No such team member")
    return member.user


def case_partner_grants(case: Case) -> list[PartnerGrant]:
    """The partner organisations with access to the case now."""
    return list(
        case.partner_grants.filter(revoked_at__isnull=True)
        .select_related("organisation")
        .order_by("granted_at", "pk")
    )


def case_partner_grant_get(case: Case, *, grant_id: int) -> PartnerGrant:
    grant = (
        case.partner_grants.filter(pk=grant_id, revoked_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    if grant is None:
        raise Http404("No such partner access")
    return grant


def case_team_candidates(case: Case) -> list:
    """Active police users of the owning force who could join the team and are not on it."""
    from comeforward.accounts import selectors as account_selectors

    on_team = {user.pk for user in case_team(case)}
    return [
        user
        for user in account_selectors.users_of_organisation(
            case.owning_organisation_id, roles=TEAM_ROLES
        )
        if user.pk not in on_team
    ]


def case_references_for_people(user, *, person_ids: list[int]) -> dict[int, list[str]]:
    """The references of cases the user may see, per person (bounded)."""
    found: dict[int, list[str]] = {}
    rows = (
        cases_visible_to(user)
        .filter(person_id__in=person_ids)
        .order_by("reference")
        .values_list("person_id", "reference")[:PAGE_LIMIT]
    )
    for person_id, reference in rows:
        found.setdefault(person_id, []).append(reference)
    return found


def with_key_dates(cases):
    """``cases`` annotated with ``decided_on`` (the latest decision that stands, not a refused
    one) and ``cautioned_on`` (the caution date) for the lists (issue 20.4). Read through the
    reverse relations the ``decisions`` app declares on a case (no import of its models)."""
    return cases.annotate(
        decided_on=Max("decisions__decided_at", filter=~Q(decisions__status="refused")),
        cautioned_on=F("caution__caution_date"),
    )


def work_queue(user, *, states) -> list[Case]:
    """Cases in ``states`` the user may see, the longest-waiting first (bounded), with their
    decision and caution dates."""
    if not states:
        return []
    return list(
        with_key_dates(cases_visible_to(user))
        .filter(state__in=list(states))
        .order_by("state_changed_at", "pk")[:PAGE_LIMIT]
    )


def task_queue(user, *, limit: int = 50) -> list[CaseTask]:
    """Open tasks for the user's role (or assigned to them) on cases they may see, the
    earliest due first. Each task carries ``status``: overdue / due_today / due."""
    visible = visible_case_ids(user)
    open_tasks = CaseTask.objects.filter(done_at__isnull=True, case_id__in=visible).select_related(
        "case", "case__person"
    )
    # Two indexed reads (by role, partial index on open tasks; by assigned user) rather than
    # one OR that no index serves.
    by_role = list(open_tasks.filter(assigned_role=user.role).order_by("due", "pk")[:limit])
    mine = list(
        open_tasks.filter(assigned_user_id=user.pk)
        .exclude(assigned_role=user.role)
        .order_by("due", "pk")[:limit]
    )
    tasks = sorted(by_role + mine, key=lambda task: (task.due, task.pk))[:limit]
    return _with_status(tasks)


def case_tasks(case: Case) -> list[CaseTask]:
    """All the case's tasks: open ones first (earliest due), then done ones."""
    open_tasks = list(case.tasks.filter(done_at__isnull=True).order_by("due", "pk"))
    done = list(case.tasks.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:20])
    return _with_status(open_tasks) + done


def case_task_get_for_user(user, *, case_id: int, task_id: int) -> CaseTask:
    case = case_get_for_user(user, case_id=case_id)
    task = CaseTask.objects.filter(pk=task_id, case=case).select_related("case").first()
    if task is None:
        raise Http404("No such task")
    return task


def _with_status(tasks: list[CaseTask]) -> list[CaseTask]:
    today = timezone.localdate()
    for task in tasks:
        task.status = due_status(task.due, today)
    return tasks


def case_search(user, *, query: str, limit: int = 50) -> list[Case]:
    """Search the cases the user may see by case reference (or its start), name or alias
    (every word must start a word of the name), date of birth (``YYYY-MM-DD`` or
    ``D/M/YYYY``), PNC or National Insurance number, or exhibit reference (through the
    ``exhibits`` app's selector when it is installed). Bounded: at most ``limit`` rows, read
    through indexes (trigram on PostgreSQL; see people migration 0003)."""
    query = " ".join(query.split())[:200]
    if not query:
        return []
    cases = cases_visible_to(user)
    upper = query.upper().replace(" ", "")
    date = _parse_date(query)
    if date is not None:
        cases = cases.filter(person__date_of_birth=date)
    elif _REFERENCE.match(upper):
        cases = cases.filter(reference__startswith=upper)
    elif _NI.match(upper) or _PNC.match(upper):
        kind = "ni" if _NI.match(upper) else "pnc"
        cases = cases.filter(person_id__in=people_selectors.person_ids_with_identifier(kind, upper))
    else:
        condition = Q(person_id__in=people_selectors.person_ids_matching_name(query))
        exhibit_case_ids = _exhibit_case_ids(user, query)
        if exhibit_case_ids:
            condition |= Q(pk__in=exhibit_case_ids)
        cases = cases.filter(condition)
    return list(with_key_dates(cases).order_by("-created_at", "-pk")[:limit])


def _exhibit_case_ids(user, query: str) -> list[int]:
    """Case ids the other apps' search contributions name (exhibit references, from the
    exhibits extension; ``cases.extensions.search_hits``), already scoped to the user."""
    ids = [hit.case_id for hit in search_hits(user, query) if hit.case_id is not None]
    return list(dict.fromkeys(ids))[:PAGE_LIMIT]


def _parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def case_next_steps(case: Case) -> list[dict]:
    """Each state the case could move to, with what still stops it (for the case page)."""
    facts = case_facts(case)
    current = CaseState(case.state)
    steps = []
    for target in sorted(allowed_targets(current), key=lambda s: list(CaseState).index(s)):
        unmet = unmet_conditions(current, target, facts, reason="x")
        steps.append(
            {"state": target.value, "label": target.label, "unmet": [c.message for c in unmet]}
        )
    return steps


def case_status_history(case: Case) -> list[CaseStatusChange]:
    return list(case.status_changes.select_related("actor").order_by("-at", "-pk"))


#: Sort keys of the cases list: the column and its database ordering (newest/latest first
#: where a "-" is given by the request).
CASE_LIST_SORTS: dict[str, tuple[str, ...]] = {
    "reference": ("reference",),
    "name": ("person__family_name", "person__given_names"),
    "stage": ("state",),
    "changed": ("state_changed_at",),
    "opened": ("created_at",),
    "decided": ("decided_on",),
    "cautioned": ("cautioned_on",),
}
CASE_LIST_PER_PAGE = 25


@dataclass(frozen=True)
class CaseListFilters:
    """What the cases list is narrowed and ordered by (all optional; unknown values are
    refused by the form before they get here)."""

    stage: str = ""
    mine: bool = False  # only cases on whose team the user is
    officer_id: int | None = None  # only cases with this officer on the team
    overdue: bool = False  # only cases with an overdue open task
    sort: str = "changed"
    descending: bool = True
    page: int = 1


@dataclass(frozen=True)
class CaseListPage:
    cases: list
    total: int
    page: int
    pages: int
    per_page: int


def case_list_page(
    user, filters: CaseListFilters, *, per_page: int = CASE_LIST_PER_PAGE
) -> CaseListPage:
    """One page of the cases the user may see, filtered and sorted (issue 20.7), each with its
    decision and caution dates and ``overdue`` (has an overdue open task). Two queries: the
    count and the page."""
    cases = cases_visible_to(user)
    if filters.stage:
        cases = cases.filter(state=filters.stage)
    if filters.mine:
        cases = cases.filter(team__user_id=user.pk)
    if filters.officer_id:
        cases = cases.filter(
            pk__in=CaseTeamMember.objects.filter(user_id=filters.officer_id).values("case_id")
        )
    today = timezone.localdate()
    late = CaseTask.objects.filter(case_id=OuterRef("pk"), done_at__isnull=True, due__lt=today)
    if filters.overdue:
        cases = cases.filter(Exists(late))
    total = cases.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, filters.page), pages)
    columns = CASE_LIST_SORTS.get(filters.sort, CASE_LIST_SORTS["changed"])
    ordering = [
        (F(c).desc(nulls_last=True) if filters.descending else F(c).asc(nulls_last=True))
        for c in columns
    ]
    rows = list(
        with_key_dates(cases)
        .annotate(overdue=Exists(late))
        .order_by(*ordering, "-pk" if filters.descending else "pk")[
            (page - 1) * per_page : page * per_page
        ]
    )
    return CaseListPage(cases=rows, total=total, page=page, pages=pages, per_page=per_page)


def case_list_officers(user) -> list:
    """Officers on the teams of the cases the user may see (the list's officer filter), by
    name; bounded."""
    from django.contrib.auth import get_user_model

    ids = CaseTeamMember.objects.filter(case_id__in=visible_case_ids(user)).values("user_id")
    return list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("full_name", "pk")[:PAGE_LIMIT]
    )
