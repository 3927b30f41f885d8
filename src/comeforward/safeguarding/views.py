"""Safeguarding pages: record the screen, referrals and their outcomes. No business logic."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from comeforward.cases.case_pages import case_page
from comeforward.errors import DomainError
from comeforward.ui.forms import show_refusal
from comeforward.ui.permissions import role_required

from . import selectors, services
from .access import RECORDERS
from .forms import ChildEndForm, ChildForm, OutcomeForm, ReferralForm, ScreenForm


def _case_page(case):
    return redirect("cases:detail", case_id=case.pk)


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def screen(request, case_id: int, record):
    form = ScreenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.safeguarding_screen_record(actor=request.user, case=record, **form.cleaned_data)
        messages.success(request, "Safeguarding screen recorded")
        return _case_page(record)
    return render(
        request,
        "safeguarding/screen.html",
        {"title": "Safeguarding screen", "case": record, "form": form},
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def referral_new(request, case_id: int, record):
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safeguarding_referral_record(
                actor=request.user, case=record, **form.cleaned_data
            )
        except DomainError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Referral recorded")
            return _case_page(record)
    return render(
        request,
        "safeguarding/referral.html",
        {"title": "Record a safeguarding referral", "case": record, "form": form},
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def referral_outcome(request, case_id: int, referral_id: int, record):
    referral = selectors.referral_get_for_user(
        request.user, case_id=record.pk, referral_id=referral_id
    )
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safeguarding_referral_outcome_record(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except DomainError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Referral outcome recorded")
            return _case_page(record)
    return render(
        request,
        "safeguarding/outcome.html",
        {
            "title": "Record the referral's outcome",
            "case": record,
            "referral": referral,
            "form": form,
        },
    )


def _child_page(request, record, form, *, title: str, button: str, act, done: str, child=None):
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except DomainError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{done}. The safeguarding re-screen is now due")
            return _case_page(record)
    return render(
        request,
        "safeguarding/child.html",
        {"title": title, "case": record, "form": form, "button": button, "child": child},
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def child_new(request, case_id: int, record):
    form = ChildForm(request.POST if request.method == "POST" else None)
    return _child_page(
        request,
        record,
        form,
        title="Record a child the person has access to",
        button="Record the child",
        act=lambda data: services.child_access_record(actor=request.user, case=record, **data),
        done="Child recorded",
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def child_change(request, case_id: int, child_id: int, record):
    child = selectors.child_get_for_user(request.user, case_id=record.pk, child_id=child_id)
    initial = {
        "age_band": child.age_band,
        "relationship": child.relationship,
        "access_kind": child.access_kind,
        "supervised": {True: "yes", False: "no"}.get(child.supervised, "unknown"),
    }
    form = ChildForm(request.POST if request.method == "POST" else None, initial=initial)
    return _child_page(
        request,
        record,
        form,
        title="Change what is recorded about a child",
        button="Record the change",
        act=lambda data: services.child_access_change(actor=request.user, child=child, **data),
        done="Change recorded",
        child=child,
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def child_end(request, case_id: int, child_id: int, record):
    child = selectors.child_get_for_user(request.user, case_id=record.pk, child_id=child_id)
    form = ChildEndForm(request.POST if request.method == "POST" else None)
    return _child_page(
        request,
        record,
        form,
        title="Record that access to a child has ended",
        button="Record the end of access",
        act=lambda data: services.child_access_end(actor=request.user, child=child, **data),
        done="End of access recorded",
        child=child,
    )
