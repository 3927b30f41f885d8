"""Gather the figures' inputs for one force from the scheme's records (read-only).

The statistics are a reporting layer over every app's records, so this one module reads the
other apps' tables — through ``django.apps`` (no import of their ``models``: the
architecture rule) and only with ``values_list`` streams, one query per table, so that a
refresh over 200,000 cases is a handful of sequential scans (bench/statistics_pages.py). Which
column means what is documented in docs/statistics.md §Sources; the tests build real records
through each app's services and check the figures by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.utils import timezone
from django.utils.translation import override

from comeforward.cases.domain.sla import OPEN, TaskRule
from comeforward.cases.domain.states import STATE_LABELS, CaseState
from comeforward.cases.sla import active_rules
from comeforward.roles import Role
from comeforward.safeguarding.rules import REFERRAL_LABELS

from .domain import costs as unit_costs
from .domain.figures import Inputs, SlaStage
from .domain.funnel import CaseRecord
from .domain.timing import working_days_between

#: States that count as open work in the backlog table (everything not finished).
BACKLOG_STATES = [
    s
    for s in CaseState
    if s not in (CaseState.CLOSED, CaseState.NO_FURTHER_ACTION, CaseState.COMPLETED)
]
ITERATOR_CHUNK = 5000
#: Workload per team: a task assigned to a role but to nobody yet, and a person in no team.
NOT_ASSIGNED = "Not assigned to a person"
NO_TEAM = "No team"


def _model(label: str):
    return apps.get_model(label)


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def _required_day(value) -> dt.date:
    day = _day(value)
    assert day is not None  # a NOT NULL column
    return day


def _first(mapping: dict, key: int, day: dt.date | None) -> None:
    if day is not None and (key not in mapping or day < mapping[key]):
        mapping[key] = day


def _stage_days(
    created: dt.date, changes: list[tuple[str, str, dt.date]], rules: tuple[TaskRule, ...]
) -> dict[str, tuple[int, dt.date]]:
    """SLA task kind → (working days, ended on) for the stages this case finished."""
    result = {}
    for rule in rules:
        start = created if rule.opened_by == OPEN else None
        index = 0
        if start is None:
            for index, (_, to_state, day) in enumerate(changes):  # noqa: B007
                if to_state == rule.opened_by:
                    start = day
                    break
            else:
                continue
            index += 1
        for _, to_state, day in changes[index:]:
            if to_state not in rule.open_during:
                result[rule.kind] = (working_days_between(start, day), day)
                break
    return result


def gather(organisation_id: int, as_of: dt.date) -> Inputs:
    """Everything ``domain.figures.compute`` needs for one force."""
    org = {"owning_organisation_id": organisation_id}
    by_case = {"case__owning_organisation_id": organisation_id}
    Case = _model("cases.Case")
    cases = list(
        Case.objects.filter(**org)
        .values_list(
            "id",
            "route",
            "state",
            "state_changed_at",
            "created_at",
            "person_id",
            "person__date_of_birth",
        )  # fmt: skip
        .iterator(chunk_size=ITERATOR_CHUNK)
    )
    changes: dict[int, list] = defaultdict(list)
    for case_id, from_state, to_state, at in (
        _model("cases.CaseStatusChange")
        .objects.filter(**by_case)
        .order_by("case_id", "at", "pk")
        .values_list("case_id", "from_state", "to_state", "at")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        changes[case_id].append((from_state, to_state, _day(at)))

    examined: dict[int, dt.date] = {}
    for case_id, at in (
        _model("exhibits.Examination")
        .objects.filter(exhibit__case__owning_organisation_id=organisation_id)
        .values_list("exhibit__case_id", "imported_at")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        _first(examined, case_id, _day(at))
    recommendation: dict[int, tuple] = {}
    for case_id, outcome, fired, at in (
        _model("decisions.Recommendation")
        .objects.filter(**by_case)
        .order_by("created_at", "pk")
        .values_list("case_id", "outcome", "fired", "created_at")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        first = recommendation.get(case_id, (None, None, None, _day(at)))[3]
        recommendation[case_id] = (outcome, tuple(fired or ()), _day(at), first)
    diverted: dict[int, dt.date] = {}
    for case_id, decided_at, approved_at in (
        _model("decisions.Decision")
        .objects.filter(**by_case, status="final", outcome="divert")
        .values_list("case_id", "decided_at", "approved_at")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        _first(diverted, case_id, _day(approved_at or decided_at))
    cautioned = dict(
        _model("decisions.Caution").objects.filter(**by_case).values_list("case_id", "caution_date")
    )
    prosecuted: dict[int, dt.date] = {}
    for case_id, sent in (
        _model("decisions.ProsecutionReferral")
        .objects.filter(**by_case)
        .values_list("case_id", "sent_to_cps_on")
    ):
        _first(prosecuted, case_id, sent)
    exits = dict(
        _model("decisions.SchemeExit")
        .objects.filter(**by_case)
        .values_list("case_id", "reason_code")
    )
    treatment_started: dict[int, dt.date] = {}
    for case_id, day in (
        _model("treatment.TreatmentSession")
        .objects.filter(
            referral__case__owning_organisation_id=organisation_id, attendance="attended"
        )
        .values_list("referral__case_id", "date")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        _first(treatment_started, case_id, day)
    treatment_completed: dict[int, dt.date | None] = {}
    treatment_not_completed: dict[int, dt.date | None] = {}
    for case_id, outcome, at in (
        _model("treatment.TreatmentReferral")
        .objects.filter(**by_case)
        .exclude(outcome="")
        .values_list("case_id", "outcome", "outcome_at")
    ):
        target = treatment_completed if outcome == "completed" else treatment_not_completed
        target[case_id] = _day(at)
    breaches: dict[int, dt.date] = {}
    for case_id, at in (
        _model("treatment.BreachReview")
        .objects.filter(**by_case, decision="confirmed")
        .values_list("case_id", "decided_at")
    ):
        _first(breaches, case_id, _day(at))
    notification_completed = {}
    for case_id, ended_on, last_day, transferred_to in (
        _model("register.RegisterRecord")
        .objects.filter(**by_case, ended_on__isnull=False, last_day__isnull=False)
        .values_list("case_id", "ended_on", "last_day", "transferred_to")
    ):
        if not transferred_to and ended_on >= last_day:
            notification_completed[case_id] = ended_on
    equality = {
        person_id: (sex, ethnicity, disability)
        for person_id, sex, ethnicity, disability in _model("statistics.EqualityMonitoring")
        .objects.filter(person__cases__owning_organisation_id=organisation_id)
        .values_list("person_id", "sex", "ethnicity", "disability")
        .iterator(chunk_size=ITERATOR_CHUNK)
    }
    events: dict[int, list] = defaultdict(list)
    for case_id, kind, day in (
        _model("statistics.FollowUpEvent")
        .objects.filter(**by_case)
        .values_list("case_id", "kind", "date")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        events[case_id].append((kind, day))

    rules = active_rules()
    records = []
    for case_id, route, state, changed_at, created_at, person_id, dob in cases:
        created = _required_day(created_at)
        history = changes.get(case_id, [])
        entered: dict[str, dt.date] = {}
        left_forensic = None
        breach_to_prosecution = None
        for from_state, to_state, day in history:
            entered.setdefault(to_state, day)
            if from_state == CaseState.FORENSIC_REVIEW and left_forensic is None:
                left_forensic = day
            if (
                from_state == CaseState.BREACHED
                and to_state == CaseState.REFERRED_FOR_PROSECUTION
                and breach_to_prosecution is None
            ):
                breach_to_prosecution = day
        rec = recommendation.get(case_id)
        eligible = None
        if rec is not None:
            eligible = {"divert": True, "prosecute": False}.get(rec[0])
        caution_day = cautioned.get(case_id) or entered.get(CaseState.CAUTIONED)
        sex, ethnicity, disability = equality.get(person_id, ("", "", ""))
        age = None
        if dob is not None:
            age = created.year - dob.year - ((created.month, created.day) < (dob.month, dob.day))
        records.append(
            CaseRecord(
                case_id=case_id,
                organisation_id=organisation_id,
                route=route,
                state=state,
                referred_on=created,
                state_changed_on=_required_day(changed_at),
                devices_examined_on=examined.get(case_id) or left_forensic,
                recommended_on=rec[3] if rec else None,
                eligible=eligible,
                ineligible_rules=rec[1] if rec and eligible is False else (),
                diverted_on=diverted.get(case_id) or caution_day,
                prosecuted_on=prosecuted.get(case_id)
                or entered.get(CaseState.REFERRED_FOR_PROSECUTION),
                no_further_action_on=entered.get(CaseState.NO_FURTHER_ACTION),
                cautioned_on=caution_day,
                treatment_started_on=treatment_started.get(case_id)
                or entered.get(CaseState.IN_TREATMENT),
                treatment_completed_on=treatment_completed.get(case_id)
                or entered.get(CaseState.COMPLETED),
                treatment_not_completed_on=treatment_not_completed.get(case_id),
                breach_confirmed_on=breaches.get(case_id) or breach_to_prosecution,
                notification_completed_on=notification_completed.get(case_id),
                exit_reason=exits.get(case_id, ""),
                stage_days=_stage_days(created, history, rules),
                age_at_referral=age,
                sex=sex,
                ethnicity=ethnicity,
                disability=disability,
            )
        )

    enquiries = [
        (opened_on, status == "converted")
        for opened_on, status in _model("enquiries.Enquiry")
        .objects.filter(organisation_id=organisation_id)
        .exclude(status="merged")
        .values_list("opened_on", "status")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ]
    with override("en"):  # figures are stored and compared: plain English, never lazy
        role_labels = {value: str(label) for value, label in Role.choices}
    open_tasks, team_tasks = [], []
    for role, due, user_id, team in (
        _model("cases.CaseTask")
        .objects.filter(**by_case, done_at__isnull=True)
        .values_list("assigned_role", "due", "assigned_user_id", "assigned_user__team__name")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ):
        open_tasks.append((role_labels.get(role, role), due))
        team_tasks.append((team or (NO_TEAM if user_id else NOT_ASSIGNED), due))
    # Open cases per team: a case counts once for each team with a member on its case team.
    team_cases = [
        team or NO_TEAM
        for _, team in _model("cases.CaseTeamMember")
        .objects.filter(**by_case, case__state__in=BACKLOG_STATES)
        .values_list("case_id", "user__team__name")
        .distinct()
        .iterator(chunk_size=ITERATOR_CHUNK)
    ]
    devices_waiting = [
        _required_day(received)
        for (received,) in _model("exhibits.Exhibit")
        .objects.filter(
            **by_case,
            case__state__in=[CaseState.DEVICES_RECEIVED, CaseState.FORENSIC_REVIEW],
            disposal="",
            examinations__isnull=True,
        )
        .values_list("received_at")
        .iterator(chunk_size=ITERATOR_CHUNK)
    ]
    referral_labels = {k.value: v for k, v in REFERRAL_LABELS.items()}
    safeguarding_referrals = [
        (referral_labels.get(kind, kind), made_on, outcome_on)
        for kind, made_on, outcome_on in _model("safeguarding.SafeguardingReferral")
        .objects.filter(**by_case)
        .values_list("kind", "made_on", "outcome_on")
    ]
    ChildAccess = _model("safeguarding.ChildAccess")
    children = list(
        ChildAccess.objects.filter(**by_case)
        .exclude(
            pk__in=ChildAccess.objects.filter(supersedes__isnull=False).values("supersedes_id")
        )
        .values_list("ended_on", "supervised")
    )
    return Inputs(
        as_of=as_of,
        records=records,
        enquiries=enquiries,
        open_tasks=open_tasks,
        team_tasks=team_tasks,
        team_cases=team_cases,
        devices_waiting=devices_waiting,
        safeguarding_referrals=safeguarding_referrals,
        children=children,
        follow_up_events=dict(events),
        sla_stages=[SlaStage(r.kind, r.label, r.working_days) for r in rules],
        open_states={s.value: STATE_LABELS[s] for s in BACKLOG_STATES},
        costs=unit_costs.load(_unit_costs_path()),
    )


#: Audited operations that change records (reads, disclosures and the refresh's own
#: "combine" change nothing the figures count).
WRITE_OPERATIONS = ("collect", "alter", "erase")


def audit_high_water() -> int:
    """The sequence number of the latest audit event (0 before any)."""
    latest = _model("audit.AuditEvent").objects.order_by("-seq").values_list("seq", flat=True)
    return latest.first() or 0


def forces_changed_since(seq: int, force_ids) -> set[int]:
    """The forces (of ``force_ids``) whose figures a write audited after ``seq`` may have
    changed. Every write is audited (the house rule), so a force with none has the same
    records. A write about a case is attributed to the case's force; any other write (a user,
    a team, an enquiry, an exhibit…) is attributed to every force — never fewer than needed."""
    force_ids = set(force_ids)
    events = (
        _model("audit.AuditEvent")
        .objects.filter(seq__gt=seq, operation__in=WRITE_OPERATIONS)
        .values_list("subject_type", "subject_id")
    )
    case_ids = set()
    for subject_type, subject_id in events.iterator(chunk_size=ITERATOR_CHUNK):
        if subject_type != "case" or not str(subject_id).isdigit():
            return force_ids
        case_ids.add(int(subject_id))
    owners = set(
        _model("cases.Case")
        .objects.filter(pk__in=case_ids)
        .values_list("owning_organisation_id", flat=True)
        .distinct()
    )
    return force_ids & owners


def changed_since(seq: int) -> bool:
    """Whether any write has been audited since ``seq`` (the pages say so: cheap, indexed)."""
    return (
        _model("audit.AuditEvent")
        .objects.filter(seq__gt=seq, operation__in=WRITE_OPERATIONS)
        .exists()
    )


def _unit_costs_path():
    from django.conf import settings

    return getattr(settings, "COMEFORWARD_UNIT_COSTS", None)
