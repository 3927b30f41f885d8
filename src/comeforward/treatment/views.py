"""Treatment pages: refer, record sessions, notes and the outcome, open and decide breach
reviews. Each works without JavaScript and returns to the case page.

Each is a case page (``cases.case_pages.case_page``, mounted under ``cases/<id>/treatment/``): the
case is loaded scoped to the user and the consultation is audited with the reason (DPA 2018
s.62) before the view runs — the provider's pages included (issue 19.3)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.assessments.domain import TREATMENT_PATHWAYS
from comeforward.cases.case_pages import case_action, case_page
from comeforward.decisions.prefill import treatment_pathway
from comeforward.roles import Role
from comeforward.ui.forms import submit as submit_form
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services
from .domain import BreachSource
from .forms import (
    BreachDecisionForm,
    BreachReviewForm,
    NoteForm,
    OutcomeForm,
    ReferralForm,
    SessionForm,
)

POLICE = (Role.OFFENDER_MANAGER, Role.INVESTIGATOR, Role.SUPERVISOR)


def _handle(
    request, form, case, action: Callable[[dict], object], *, title: str, submit: str, success: str
):
    """GET shows the form; a valid POST runs ``action`` and goes back to the case
    (:func:`comeforward.ui.forms.submit`)."""
    then = reverse("cases:detail", kwargs={"case_id": case.pk})
    return submit_form(request, form, action, success=success, then=then) or render(
        request,
        "treatment/form.html",
        {"title": title, "form": form, "case": case, "submit": submit},
    )


def programme_prefill(case) -> dict:
    """The programme is the pathway the independent assessor chose (no re-keying)."""
    pathway = treatment_pathway(case)
    if pathway in (None, "none"):
        return {}
    return {"programme": TREATMENT_PATHWAYS[pathway]}


@role_required(*POLICE)
@case_page("treatment.referral")
@case_action(permissions.REFER)
def refer(request, case_id: int, record):
    case = record
    providers = list(selectors.treatment_providers())
    form = ReferralForm(request.POST or None, providers=providers, initial=programme_prefill(case))
    by_pk = {str(p.pk): p for p in providers}
    return _handle(
        request,
        form,
        case,
        lambda data: services.treatment_refer(
            actor=request.user,
            case=case,
            provider=by_pk[data["provider"]],
            programme=data["programme"],
            expected_sessions=data["expected_sessions"],
        ),
        title="Refer for treatment",
        submit="Refer",
        success=_("Referred for treatment; the provider now has access to the case"),
    )


@role_required(Role.TREATMENT_PROVIDER)
@case_page("treatment.session")
@case_action(permissions.RECORD_SESSION)
def session_new(request, case_id: int, record):
    referral = selectors.referral_for_provider(request.user, case_id=case_id)
    form = SessionForm(request.POST or None)
    return _handle(
        request,
        form,
        referral.case,
        lambda data: services.treatment_session_record(
            actor=request.user,
            referral=referral,
            date=data["date"],
            attendance=data["attendance"],
            missed_reason=data["missed_reason"],
        ),
        title="Record a session",
        submit="Record session",
        success=_("Session recorded"),
    )


@role_required(Role.TREATMENT_PROVIDER)
@case_page("treatment.note")
@case_action(permissions.ADD_NOTE)
def note_new(request, case_id: int, record):
    referral = selectors.referral_for_provider(request.user, case_id=case_id)
    form = NoteForm(request.POST or None)
    return _handle(
        request,
        form,
        referral.case,
        lambda data: services.treatment_note_add(
            actor=request.user, referral=referral, text=data["text"]
        ),
        title="Add a progress note",
        submit="Save note",
        success=_("Progress note saved"),
    )


@role_required(Role.TREATMENT_PROVIDER)
@case_page("treatment.outcome")
@case_action(permissions.RECORD_OUTCOME)
def outcome(request, case_id: int, record):
    referral = selectors.referral_for_provider(request.user, case_id=case_id)
    form = OutcomeForm(request.POST or None)
    return _handle(
        request,
        form,
        referral.case,
        lambda data: services.treatment_outcome_record(
            actor=request.user, referral=referral, outcome=data["outcome"], reason=data["reason"]
        ),
        title="Record the outcome of treatment",
        submit="Record outcome",
        success=_("Outcome recorded"),
    )


@role_required(*POLICE)
@case_page("treatment.breach_review")
@case_action(permissions.OPEN_BREACH_REVIEW)
def breach_review_new(request, case_id: int, record):
    case = record
    form = BreachReviewForm(request.POST or None)
    return _handle(
        request,
        form,
        case,
        lambda data: services.breach_review_open(
            actor=request.user, case=case, source=BreachSource.MANUAL, reason=data["reason"]
        ),
        title="Open a breach review",
        submit="Open breach review",
        success=_("Breach review opened"),
    )


@role_required(Role.SUPERVISOR)
@case_page("treatment.breach_decision")
def breach_review_decide(request, case_id: int, review_id: int, record):
    review = selectors.breach_review_get_for_user(request.user, review_id=review_id)
    if review.case_id != record.pk:
        raise Http404("No such breach review on this case")
    if review.decision:
        raise Http404("This breach review has already been decided")
    form = BreachDecisionForm(request.POST or None)
    return _handle(
        request,
        form,
        review.case,
        lambda data: services.breach_review_decide(
            actor=request.user,
            review=review,
            confirmed=data["decision"] == "confirm",
            reason=data["reason"],
        ),
        title="Decide the breach review",
        submit="Record decision",
        success=_("Breach review decided"),
    )
