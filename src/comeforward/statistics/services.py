"""Writes of the statistics app: the scheduled refresh of the materialised figures, follow-up
events from PNC checks, and pseudonymised extracts (each audited with its purpose)."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.utils import timezone

from comeforward.accounts import selectors as account_selectors
from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.extensions import require_action
from comeforward.roles import OrganisationType, Role

from . import sources
from .domain.equality import DISABILITY, ETHNICITY, SEX
from .domain.figures import compute
from .domain.followup import EVENT_KINDS
from .errors import EqualityMonitoringInvalid, ExtractPurposeRequired, FollowUpEventInvalid
from .models import EqualityMonitoring, FiguresSnapshot, FollowUpEvent
from .permissions import EQUALITY_RECORD, FOLLOW_UP_RECORD
from .selectors import latest_snapshot

#: Who may recalculate their force's figures now (besides the nightly task).
REFRESH_ROLES = frozenset({Role.SUPERVISOR})
#: Snapshots kept per force (older ones are deleted by the refresh).
KEEP_SNAPSHOTS = 3


def figures_refresh(
    *, organisation_id: int | None = None, as_of: dt.date | None = None, full: bool = False
) -> list:
    """Refresh every police force's figures (or one force's): the scheduled task
    ``statistics_refresh`` (web/scheduler.py) runs this. **Incremental**: a force's figures are
    recomputed only when they can differ from its latest snapshot — another figures' date, or
    a write concerning the force audited since the snapshot read the records
    (``sources.forces_changed_since``); otherwise the snapshot is kept and marked checked.
    ``full=True`` recomputes every force (what an incremental refresh must equal: tested).
    Returns the snapshots now current, one per force."""
    as_of = as_of or timezone.localdate()
    forces = account_selectors.organisations_of_kind(OrganisationType.POLICE_FORCE)
    if organisation_id is not None:
        forces = forces.filter(pk=organisation_id)
    forces = list(forces)
    latest: dict[int, FiguresSnapshot] = {}
    for force in forces:
        snapshot = latest_snapshot(force.pk)
        if snapshot is not None and not full and snapshot.as_of == as_of:
            latest[force.pk] = snapshot
    stale = {force.pk for force in forces if force.pk not in latest}
    current = list(latest.values())
    if current:
        since = min(s.audit_seq for s in current)
        stale |= sources.forces_changed_since(since, {s.organisation_id for s in current})
        # forces_changed_since looked from the oldest mark: a force whose own mark is newer
        # may be re-computed needlessly, never skipped wrongly.
    made = []
    for force in forces:
        if force.pk not in stale:
            kept = latest[force.pk]
            FiguresSnapshot.objects.filter(pk=kept.pk).update(checked_at=timezone.now())
            made.append(kept)
            continue
        started = time.perf_counter()
        seq = sources.audit_high_water()
        inputs = sources.gather(force.pk, as_of)
        data = compute(inputs)
        seconds = round(time.perf_counter() - started, 3)
        with transaction.atomic():
            snapshot = FiguresSnapshot.objects.create(
                organisation=force,
                as_of=as_of,
                seconds=seconds,
                cases=len(inputs.records),
                audit_seq=seq,
                data=data,
            )
            old = FiguresSnapshot.objects.filter(organisation=force).order_by("-computed_at", "-pk")
            old_pks = list(old.values_list("pk", flat=True)[KEEP_SNAPSHOTS:])
            FiguresSnapshot.objects.filter(pk__in=old_pks).delete()
            audit_record(
                actor=None,
                operation=Operation.COMBINE,
                subject_type="statistics_snapshot",
                subject_id=snapshot.pk,
                scope="statistics.refresh",
                details={"organisation": force.pk, "cases": snapshot.cases, "seconds": seconds},
            )
        made.append(snapshot)
    return made


def follow_up_event_record(
    *, actor, case, kind: str, date: dt.date, source: str = "PNC check"
) -> FollowUpEvent:
    """Record what a follow-up check found (issue 14.3). ``case`` must already be one the
    actor may see (the view loads it through ``cases.selectors``); the one permission rule
    (``permissions.py``) is checked here too."""
    require_action(actor, case, FOLLOW_UP_RECORD)
    if kind not in EVENT_KINDS:
        raise FollowUpEventInvalid(
            "Choose what the check found",
            details={"fields": {"kind": "Choose what the check found"}},
        )
    if date > timezone.localdate():
        raise FollowUpEventInvalid(
            "The date cannot be in the future", details={"fields": {"date": "future"}}
        )
    if date < case.created_at.date():
        raise FollowUpEventInvalid(
            "The date cannot be before the case was opened", details={"fields": {"date": "early"}}
        )
    source = (source or "").strip()
    if not source:
        raise FollowUpEventInvalid(
            "Say where this was found", details={"fields": {"source": "required"}}
        )
    with transaction.atomic():
        event = FollowUpEvent.objects.create(
            case=case, kind=kind, date=date, source=source[:100], recorded_by=actor
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="statistics.follow_up_event",
            details={"event": event.pk, "kind": kind, "date": date.isoformat(), "source": source},
        )
    return event


def equality_record(
    *, actor, case, sex: str = "", ethnicity: str = "", disability: str = ""
) -> EqualityMonitoring:
    """Record (or update) the equality-monitoring answers of the case's person (issue 14.5).
    Every answer is optional: blank is "not recorded", ``prefer_not_to_say`` is an answer.
    Audited without the values (they are special-category data; the audit says which
    answers were given, not what they were)."""
    require_action(actor, case, EQUALITY_RECORD)
    answers = {"sex": sex or "", "ethnicity": ethnicity or "", "disability": disability or ""}
    bad = {
        field: "Choose one of the options"
        for field, allowed in (("sex", SEX), ("ethnicity", ETHNICITY), ("disability", DISABILITY))
        if answers[field] and answers[field] not in allowed
    }
    if bad:
        raise EqualityMonitoringInvalid("Choose one of the options", details={"fields": bad})
    with transaction.atomic():
        record, created = EqualityMonitoring.objects.update_or_create(
            person_id=case.person_id,
            defaults={**answers, "recorded_at": timezone.now(), "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT if created else Operation.ALTER,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="statistics.equality_monitoring",
            details={"recorded": sorted(k for k, v in answers.items() if v), "new": created},
        )
    return record


def extract_authorise(*, actor, purpose: str, study: str, kind: str) -> str:
    """Audit an extract before any row leaves (DPA 2018 s.62: disclosure with its
    justification). Returns the study code the pseudonyms are keyed with."""
    purpose = (purpose or "").strip()
    study = (study or "").strip()
    if len(purpose) < 10:
        raise ExtractPurposeRequired(
            "Say what the extract is for (at least 10 characters)",
            details={"fields": {"purpose": "required"}},
        )
    if not study:
        raise ExtractPurposeRequired(
            "Give the study's code", details={"fields": {"study": "required"}}
        )
    audit_record(
        actor=actor,
        operation=Operation.DISCLOSE,
        subject_type="statistics_extract",
        scope=f"statistics.extract.{kind}",
        justification=purpose,
        details={"study": study, "kind": kind, "organisation": actor.organisation_id},
    )
    return study
