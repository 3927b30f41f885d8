"""Writes about interviews: one transaction and one audit record each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.extensions import require_action
from comeforward.cases.services import case_tasks_reconcile

from . import permissions
from .access import POLICE_CASE_ROLES
from .errors import InterviewInvalid, OfficerNotOnCase
from .models import Interview
from .rules import INTERVIEW_OFFENCES, Admission, admission_recorded


def interview_record(
    *,
    actor,
    case,
    held_on: dt.date,
    officer_ids: Iterable[int],
    admission: str,
    recorded: bool,
    recording_reference: str,
    offences_admitted: Iterable[str],
    legal_adviser_present: bool,
    narrative: str = "",
) -> Interview:
    """Record an interview under caution; ``admission_recorded`` follows rules E2. Only when
    the one permission rule (``permissions.interview_actions``) lets ``actor`` record it."""
    require_action(actor, case, permissions.RECORD)
    admission = Admission(admission)
    given = {str(o) for o in offences_admitted}
    offences = sorted(o.value for o in INTERVIEW_OFFENCES if o.value in given)
    officer_ids = sorted({int(i) for i in officer_ids})
    problems = {}
    if unknown := sorted(given - set(offences)):
        problems["offences_admitted"] = "Choose offences from the list: " + ", ".join(unknown)
    if held_on > timezone.localdate():
        problems["held_on"] = "The interview date cannot be in the future"
    if not officer_ids:
        problems["officer_ids"] = "Select the officers present"
    if admission != Admission.NONE and not offences:
        problems["offences_admitted"] = "Select the offences admitted"
    if recorded and not recording_reference.strip():
        problems["recording_reference"] = "Give the reference of the recording"
    if problems:
        raise InterviewInvalid("; ".join(problems.values()), details=problems)
    with transaction.atomic():
        officers = [
            m.user
            for m in case.team.select_related("user").filter(user_id__in=officer_ids)
            if m.user.role in POLICE_CASE_ROLES
        ]
        if len(officers) != len(officer_ids):
            raise OfficerNotOnCase(
                "Every officer present must be a police member of the case team",
                details={"officer_ids": officer_ids},
            )
        interview = Interview.objects.create(
            case=case,
            held_on=held_on,
            admission=admission,
            recorded=recorded,
            recording_reference=recording_reference.strip(),
            offences_admitted=offences,
            legal_adviser_present=legal_adviser_present,
            narrative=narrative.strip(),
            admission_recorded=admission_recorded(
                admission=admission, recorded=recorded, recording_reference=recording_reference
            ),
            recorded_by=actor,
        )
        interview.officers_present.set(officers)
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope="case.interview",
            details={
                "interview": interview.pk,
                "admission": admission.value,
                "offences": offences,
                "admission_recorded": interview.admission_recorded,
            },
        )
        case_tasks_reconcile(actor=actor, case=case)
    return interview
