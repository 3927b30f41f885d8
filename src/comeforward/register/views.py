"""Register pages. Opening a record is a consultation of the case (reason once per case per
session, shared with the case page: subject "case", the case's pk)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from comeforward.accounts.roles import Role
from comeforward.audit.access import consult_with_reason
from comeforward.cases.selectors import case_get_for_user
from comeforward.errors import DomainError
from comeforward.web.forms import submit
from comeforward.web.permissions import role_required

from . import selectors, services
from .domain import RecordFacts
from .forms import ArmsForm, BreachForm, EnterRecordForm, HomeVisitForm, NotificationForm

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
    return render(
        request,
        "register/list.html",
        {
            "title": "Register",
            "records": selectors.register_list(request.user),
            "reminders": selectors.reminders_for(request.user, limit=50),
            "today": timezone.localdate(),
        },
    )


@role_required(*READERS)
@consult_with_reason(subject_type="case", scope="register.record", load=_load)
def register_detail(request, record_id: int, record):
    register_record = record.record
    return render(
        request,
        "register/detail.html",
        {
            "title": f"Notification requirements – {register_record.case.reference}",
            "record": register_record,
            "obligation": selectors.record_obligation(register_record),
            "position": selectors.record_position(register_record),
            "due_items": selectors.record_due_items(register_record),
            "notifications": selectors.record_notifications(register_record),
            "visits": selectors.record_visits(register_record),
            "arms": selectors.record_arms(register_record),
            "breaches": selectors.record_breaches(register_record),
            "can_manage": request.user.role in MANAGERS,
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
    form = NotificationForm(request.POST or None)
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
        ),
        success="Notification recorded",
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
        ),
        success="Home visit recorded",
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
        ),
        success="ARMS assessment dates recorded",
        then=_back(record),
    ) or _form_page(
        request, form, title="Record an ARMS assessment", record=record, button="Record dates"
    )


@require_POST
@role_required(*MANAGERS)
def breach_open(request, record_id: int):
    record = selectors.record_get_for_user(request.user, record_id=record_id)
    form = BreachForm(request.POST)
    if form.is_valid():
        try:
            services.register_breach_open(
                actor=request.user,
                record=record,
                kind=form.cleaned_data["kind"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, "Breach recorded and linked to the case")
        except DomainError as refusal:
            messages.error(request, refusal.message)
    return redirect("register:detail", record_id=record.pk)


@role_required(*MANAGERS)
def record_enter(request, case_id: int):
    """Enter a person already subject to the notification requirements."""
    case = case_get_for_user(request.user, case_id=case_id)
    existing = selectors.record_for_case(request.user, case)
    if existing is not None:
        return redirect("register:detail", record_id=existing.pk)
    initial = {"offender_dob": case.person.date_of_birth}
    form = EnterRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.register_open(
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
            )
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Register record opened")
            return redirect("register:detail", record_id=record.pk)
    return render(
        request,
        "register/form.html",
        {
            "title": "Enter a person subject to notification requirements",
            "form": form,
            "record": None,
            "case": case,
            "submit": "Open register record",
        },
    )
