"""Safeguarding pages: record the screen, referrals and their outcomes, and the children the
person has access to. No business logic: forms go to the services through
``ui.forms.submit`` (a refusal is shown on the form); who may open a page is the one
permission rule (``permissions.safeguarding_actions``) — through ``case_action`` for the case,
and for the one referral or child record a page is about."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.cases.case_pages import case_action, case_page
from comeforward.ui.forms import submit
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services
from .access import RECORDERS
from .forms import ChildEndForm, ChildForm, OutcomeForm, ReferralForm, ScreenForm


def _case_url(case) -> str:
    return reverse("cases:detail", kwargs={"case_id": case.pk})


def _refused(request, case, action):
    """The rule refuses this referral or child record: back to the case page with why."""
    messages.error(request, action.reason)
    return redirect(_case_url(case))


def _form_page(request, record, form, act, *, success, template, context):
    return submit(request, form, act, success=success, then=_case_url(record)) or render(
        request, template, {"case": record, "form": form, **context}
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
@case_action(permissions.SCREEN)
def screen(request, case_id: int, record):
    form = ScreenForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        record,
        form,
        lambda data: services.safeguarding_screen_record(actor=request.user, case=record, **data),
        success=_("Safeguarding screen recorded"),
        template="safeguarding/screen.html",
        context={"title": "Safeguarding screen"},
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
@case_action(permissions.REFER)
def referral_new(request, case_id: int, record):
    form = ReferralForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        record,
        form,
        lambda data: services.safeguarding_referral_record(actor=request.user, case=record, **data),
        success=_("Referral recorded"),
        template="safeguarding/referral.html",
        context={"title": "Record a safeguarding referral"},
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def referral_outcome(request, case_id: int, referral_id: int, record):
    referral = selectors.referral_get_for_user(
        request.user, case_id=record.pk, referral_id=referral_id
    )
    action = permissions.referral_action(request.user, record, referral)
    if not action.allowed:
        return _refused(request, record, action)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        record,
        form,
        lambda data: services.safeguarding_referral_outcome_record(
            actor=request.user, referral=referral, **data
        ),
        success=_("Referral outcome recorded"),
        template="safeguarding/outcome.html",
        context={"title": "Record the referral's outcome", "referral": referral},
    )


def _child_page(request, record, form, *, title: str, button: str, act, done: str, child=None):
    return _form_page(
        request,
        record,
        form,
        act,
        success=_("%(done)s. The safeguarding re-screen is now due") % {"done": done},
        template="safeguarding/child.html",
        context={"title": title, "button": button, "child": child},
    )


@role_required(*RECORDERS)
@case_page("case.safeguarding")
@case_action(permissions.RECORD_CHILD)
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


def _child_action(request, record, child, verb: str):
    current = selectors.child_is_current(child)
    return permissions.child_actions(request.user, record, current=current)[verb]


@role_required(*RECORDERS)
@case_page("case.safeguarding")
def child_change(request, case_id: int, child_id: int, record):
    child = selectors.child_get_for_user(request.user, case_id=record.pk, child_id=child_id)
    action = _child_action(request, record, child, "change_child")
    if not action.allowed:
        return _refused(request, record, action)
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
    action = _child_action(request, record, child, "end_child")
    if not action.allowed:
        return _refused(request, record, action)
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
