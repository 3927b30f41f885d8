"""Register pages. Opening a record is a consultation of the case (reason once per case per
session, shared with the case page: subject "case", the case's pk)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.audit.access import consult_with_reason
from comeforward.cases.case_pages import case_action, case_page
from comeforward.roles import Role
from comeforward.ui.forms import act, form_page, submit
from comeforward.ui.permissions import role_required

from . import selectors, services
from .domain import VISIT_INTERVAL_MONTHS, ArmsLevel, RecordFacts
from .forms import (
    ArmsForm,
    BreachForm,
    BreachOutcomeForm,
    EnterRecordForm,
    HomeVisitForm,
    ManagementForm,
    NotificationForm,
    PeriodEndForm,
    PeriodForm,
    ReviewStepForm,
    TripForm,
    TripNoticeForm,
    TripReturnForm,
)
from .permissions import ENTER

MANAGERS = (Role.OFFENDER_MANAGER, Role.SUPERVISOR)
READERS = (Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.INVESTIGATOR)


@dataclass(frozen=True)
class _Consulted:
    """What ``consult_with_reason`` logs: the case (so the reason is shared with it)."""

    pk: int
    reference: str
    record: object


def _load(request, record_id: int) -> _Consulted:
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    return _Consulted(pk=record.case_id, reference=record.case.reference, record=record)


@role_required(*MANAGERS)
def register_list(request):
    """The offender managers' queues (13.8), filtered by manager, area and ARMS level."""
    queue = request.GET.get("queue", "all")
    if queue not in selectors.QUEUES:
        queue = "all"
    try:
        manager_id = int(request.GET.get("manager") or 0) or None
    except ValueError:
        manager_id = None
    area = request.GET.get("area", "").strip()[:100]
    risk = request.GET.get("risk", "")
    if risk not in ArmsLevel.values:
        risk = ""
    return render(
        request,
        "register/list.html",
        {
            "title": "Register",
            "records": selectors.register_queue(
                request.user, queue=queue, manager_id=manager_id, area=area, risk=risk
            ),
            "queue": queue,
            "queues": selectors.QUEUES,
            "filters": {"manager": manager_id, "area": area, "risk": risk},
            "managers": selectors.managers_for_user(request.user),
            "risk_levels": ArmsLevel.choices,
            "reminders": selectors.reminders_for(request.user, limit=50),
            "today": timezone.localdate(),
        },
    )


@role_required(*READERS)
@consult_with_reason(subject_type="case", scope="register.record", load=_load)
def register_detail(request, record_id: int, record):
    register_record = record.record
    position = selectors.record_position(register_record)
    current, history = selectors.record_particulars(register_record)
    return render(
        request,
        "register/detail.html",
        {
            "title": f"Notification requirements – {register_record.case.reference}",
            "record": register_record,
            "obligation": selectors.record_obligation(register_record),
            "position": position,
            "duties": selectors.record_duties(position),
            "due_items": selectors.record_due_items(register_record),
            "notifications": selectors.record_notifications(register_record),
            "particulars": current,
            "particulars_history": history,
            "periods": selectors.record_periods(register_record),
            "trips": selectors.record_trips(register_record),
            "visits": selectors.record_visits(register_record),
            "arms": selectors.record_arms(register_record),
            "breaches": selectors.record_breaches(register_record),
            "review": selectors.record_review_task(register_record),
            "visit_intervals": VISIT_INTERVAL_MONTHS,
            "can_manage": request.user.role in MANAGERS,
            "is_manager": request.user.role == Role.OFFENDER_MANAGER,
        },
    )


def _form_page(request, form, *, title: str, record, button: str):
    return render(
        request,
        "register/form.html",
        {"title": title, "form": form, "record": record, "submit": button},
    )


def _back(record) -> str:
    return reverse("register:detail", kwargs={"record_id": record.pk})


@role_required(Role.OFFENDER_MANAGER)
def notification_new(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    current, _history = selectors.record_particulars(record)
    form = NotificationForm(request.POST or None, current=current)
    return submit(
        request,
        form,
        lambda data: services.register_notification_record(
            actor=request.user,
            record=record,
            kind=data["kind"],
            date=data["date"],
            matters=data["matters"],
            changed_on=data["changed_on"],
            departure=data["departure"],
            details=data["details"],
            particulars=form.particulars(),
            ends=[int(e) for e in data["ends"]],
            police_station=data["police_station"],
            received_by_name=data["received_by_name"],
        ),
        success=_("Notification recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record a notification", record=record, button="Record notification"
    )


@role_required(Role.OFFENDER_MANAGER)
def visit_new(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    form = HomeVisitForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_home_visit_record(
            actor=request.user,
            record=record,
            date=data["date"],
            next_due=data["next_due"],
            notes=data["notes"],
            announced=data["announced"],
            outcome=data["outcome"],
        ),
        success=_("Home visit recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record a home visit", record=record, button="Record visit"
    )


@role_required(Role.OFFENDER_MANAGER)
def arms_new(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    form = ArmsForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_arms_record(
            actor=request.user,
            record=record,
            assessed_on=data["assessed_on"],
            next_due=data["next_due"],
            level=data["level"],
        ),
        success=_("ARMS assessment dates recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record an ARMS assessment", record=record, button="Record dates"
    )


@require_POST
@role_required(*MANAGERS)
def breach_open(request, record_id: int):
    """Open a s.91 breach review for any notice law shows as overdue or late (13.4)."""
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    form = BreachForm(request.POST)
    if not form.is_valid():
        return redirect(_back(record))
    data = form.cleaned_data
    return act(
        request,
        lambda: services.register_breach_open(
            actor=request.user,
            record=record,
            kind=data["kind"],
            notes=data["notes"],
            due=data["due"],
            event_ref=data["event_ref"],
            evidence=data["evidence"],
        ),
        success=_("Breach review opened and linked to the case"),
        then=_back(record),
    )


@role_required(*MANAGERS)
def breach_outcome(request, record_id: int, breach_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    breach = selectors.breach_get_for_user(request.user, record=record, breach_id=breach_id)
    form = BreachOutcomeForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_breach_outcome(
            actor=request.user,
            breach=breach,
            outcome=data["outcome"],
            notes=data["notes"],
            evidence=data["evidence"],
        ),
        success=_("Outcome of the breach review recorded"),
        then=_back(record),
    ) or _form_page(
        request,
        form,
        title=f"Outcome of the review: {breach.get_kind_display()} due {breach.due:%d %B %Y}",
        record=record,
        button="Record outcome",
    )


@role_required(Role.OFFENDER_MANAGER)
def period_new(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    form = PeriodForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_period_record(
            actor=request.user,
            record=record,
            reason=data["reason"],
            began_on=data["began_on"],
            ended_on=data["ended_on"],
            notes=data["notes"],
        ),
        success=_("Period recorded: the deadlines now leave out its whole days"),
        then=_back(record),
    ) or _form_page(
        request,
        form,
        title="Record custody, hospital detention or time outside the UK",
        record=record,
        button="Record period",
    )


@role_required(Role.OFFENDER_MANAGER)
def period_end(request, record_id: int, period_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    period = selectors.period_get_for_user(request.user, record=record, period_id=period_id)
    form = PeriodEndForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_period_end(
            actor=request.user, period=period, ended_on=data["ended_on"]
        ),
        success=_("End of the period recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record the end of the period", record=record, button="Record end"
    )


@role_required(Role.OFFENDER_MANAGER)
def trip_new(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    form = TripForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_trip_record(actor=request.user, record=record, **data),
        success=_("Trip recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record foreign travel", record=record, button="Record trip"
    )


@role_required(Role.OFFENDER_MANAGER)
def trip_return(request, record_id: int, trip_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    trip = selectors.trip_get_for_user(request.user, record=record, trip_id=trip_id)
    form = TripReturnForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_trip_return_record(actor=request.user, trip=trip, **data),
        success=_("Return recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record the return to the UK", record=record, button="Record return"
    )


@role_required(Role.OFFENDER_MANAGER)
def trip_notice(request, record_id: int, trip_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    trip = selectors.trip_get_for_user(request.user, record=record, trip_id=trip_id)
    form = TripNoticeForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.register_trip_notice_record(actor=request.user, trip=trip, **data),
        success=_("Travel notice recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Record the travel notice", record=record, button="Record notice"
    )


@role_required(*MANAGERS)
def management_edit(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    managers = selectors.managers_of(record)
    initial = {
        "manager": str(record.manager_id or ""),
        "area": record.area,
        "mappa_category": record.mappa_category,
        "mappa_level": record.mappa_level,
    }
    form = ManagementForm(request.POST or None, initial=initial, managers=managers)
    by_pk = {str(u.pk): u for u in managers}
    return submit(
        request,
        form,
        lambda data: services.register_management_update(
            actor=request.user,
            record=record,
            manager=by_pk.get(data["manager"]),
            area=data["area"],
            mappa_category=data["mappa_category"],
            mappa_level=data["mappa_level"],
        ),
        success=_("Management details recorded"),
        then=_back(record),
    ) or _form_page(
        request, form, title="Offender manager, area and MAPPA", record=record, button="Save"
    )


@role_required(*MANAGERS)
def review_step(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    task = selectors.record_review_task(record)
    steps = services.REVIEW_STEPS.get(task.status, ()) if task else ()
    form = ReviewStepForm(request.POST or None, steps=steps)
    return submit(
        request,
        form,
        lambda data: services.register_review_step(
            actor=request.user, record=record, step=data["step"], on=data["on"], notes=data["notes"]
        ),
        success=_("Review updated"),
        then=_back(record),
    ) or _form_page(
        request,
        form,
        title="Review of indefinite requirements (s.91A-91F)",
        record=record,
        button="Record step",
    )


def _existing_record_opens(view):
    """A case that already has a register record opens it (before the rule's refusal)."""

    @functools.wraps(view)
    def wrapper(request, *args, record, **kwargs):
        existing = selectors.record_for_case(request.user, record)
        if existing is not None:
            return redirect(_back(existing))
        return view(request, *args, record=record, **kwargs)

    return wrapper


@role_required(*MANAGERS)
@case_page("register.enter")
@_existing_record_opens
@case_action(ENTER)
def record_enter(request, case_id: int, record):
    """Enter a person already subject to the notification requirements: a case page under
    ``cases/<id>/register/enter`` (the consultation is audited with the reason,
    ``cases.case_pages``), taken when ``register_actions`` allows it."""
    case = record
    initial = {"offender_dob": case.person.date_of_birth}
    form = EnterRecordForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.register_record_enter(
            actor=request.user,
            case=case,
            facts=RecordFacts(
                offence=data["offence"],
                offence_date=data["offence_date"],
                offender_dob=data["offender_dob"],
                youngest_depicted_age=data["youngest_depicted_age"],
                disposal_type=data["disposal_type"],
                relevant_date=data["relevant_date"],
            ),
            no_fixed_abode=data["no_fixed_abode"],
        ),
        success=_("Register record opened"),
        then=_back,
        template="register/form.html",
        context={
            "title": "Enter a person subject to notification requirements",
            "record": None,
            "case": case,
            "submit": "Open register record",
        },
    )
