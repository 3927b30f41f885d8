"""Case pages. Every record opened is consulted with a reason (audit.access): each page
about one case is a ``cases.case_pages.case_page`` (the other apps' are mounted under
``cases/<id>/<app>/`` from their case extensions)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.cases.case_pages import case_page
from comeforward.people import selectors as people_selectors
from comeforward.people import services as people_services
from comeforward.people.domain.matching import NameRecord
from comeforward.roles import CASEWORK_ROLES, Role
from comeforward.ui.forms import act, form_page, submit
from comeforward.ui.permissions import role_required

from . import selectors, services
from .extensions import case_panels, intake_next_step
from .forms import (
    PERSON_DETAIL_FORMS,
    AccessEndForm,
    CaseListForm,
    IntakeForm,
    MergeForm,
    TeamAddForm,
    TransitionForm,
)
from .selectors import CaseListFilters

#: Police roles that record referrals and add to a person's details.
INTAKE_ROLES = (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR)
PERSON_EDIT_ROLES = (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR, Role.OFFENDER_MANAGER)

MATCH_LABELS = {
    "exact": "Same name and date of birth",
    "likely": "Similar name, same date of birth",
    "possible": "Possible match",
}


@role_required(*CASEWORK_ROLES)
def case_list(request):
    """The cases the user may see: filters (stage, my team, officer, overdue), sort by any
    column and pages of 25 (issue 20.7)."""
    form = CaseListForm(request.GET or None, officers=selectors.case_list_officers(request.user))
    filters = form.filters() if form.is_bound else CaseListFilters()
    listing = selectors.case_list_page(request.user, filters)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "cases/list.html",
        {
            "title": "Cases",
            "form": form,
            "filters": filters,
            "listing": listing,
            "cases": listing.cases,
            "query": query,
        },
    )


@role_required(*CASEWORK_ROLES)
def case_search(request):
    query = request.GET.get("q", "")
    results = selectors.case_search(request.user, query=query)
    return render(
        request, "cases/search.html", {"title": "Search", "query": query, "results": results}
    )


@role_required(*CASEWORK_ROLES)
@case_page("case.summary")
def case_detail(request, case_id: int, record):
    return render(
        request,
        "cases/detail.html",
        {
            "title": record.reference,
            "case": record,
            "tasks": selectors.case_tasks(record),
            "panels": case_panels(request, record),
            "next_steps": selectors.case_next_steps(record),
            "history": selectors.case_status_history(record),
        },
    )


@require_POST
@role_required(*CASEWORK_ROLES)
@case_page("case.state")
def case_transition(request, case_id: int, record):
    case = record
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return redirect("cases:detail", case_id=case.pk)
    return act(
        request,
        lambda: services.case_transition(
            actor=request.user,
            case=case,
            to_state=form.cleaned_data["to_state"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("The case has moved on"),
        then=reverse("cases:detail", kwargs={"case_id": case.pk}),
        message=lambda refusal: f"The case cannot move on yet: {refusal.message}",
    )


@role_required(*INTAKE_ROLES)
def intake(request):
    """Record a self-referral: find or create the person (duplicate check first), open the
    case and go to it."""
    form = IntakeForm(request.POST if request.method == "POST" else None)
    context = {"title": "Record a self-referral", "form": form, "candidates": []}
    if request.method != "POST" or not form.is_valid():
        return render(request, "cases/intake.html", context)
    data = form.cleaned_data
    name = (data["given_names"], data["family_name"], data["date_of_birth"])
    choice = request.POST.get("duplicate", "")
    person = None
    if data["decision"] != "checked" or not choice:
        check = people_services.person_duplicate_check(
            actor=request.user,
            given_names=name[0],
            family_name=name[1],
            date_of_birth=name[2],
        )
        candidates = check.candidates
        context["cross_force_check"] = check.cross_force_check_needed
        if candidates or (check.cross_force_check_needed and data["decision"] != "checked"):
            if candidates and data["decision"] == "checked":
                form.add_error(None, "Select one of the records, or a new person record")
            references = selectors.case_references_for_people(
                request.user, person_ids=[c.person.pk for c in candidates]
            )
            context["candidates"] = [
                {
                    "person": c.person,
                    "strength": MATCH_LABELS[c.match.strength],
                    "reasons": c.match.reasons,
                    "references": references.get(c.person.pk, []),
                }
                for c in candidates
            ]
            return render(request, "cases/intake.html", context)
    elif choice != "new":
        own, _others = people_selectors.duplicate_candidates_for(request.user, NameRecord(*name))
        person = {str(p.pk): p for p, _score in own}.get(choice)
        if person is None:
            raise Http404("That record is not one of the possible matches")
    return submit(
        request,
        form,
        lambda _data: services.intake_record(
            actor=request.user,
            route=data["route"],
            person=person,
            given_names=name[0],
            family_name=name[1],
            date_of_birth=name[2],
        ),
        success=lambda case: _("Case %(reference)s opened") % {"reference": case.reference},
        then=lambda case: (
            intake_next_step(request.user, case)
            or reverse("cases:detail", kwargs={"case_id": case.pk})
        ),
    ) or render(request, "cases/intake.html", context)


@role_required(*CASEWORK_ROLES)
@case_page("case.person")
def case_person(request, case_id: int, record):
    person = people_selectors.person_survivor(record.person)
    return render(
        request,
        "cases/person.html",
        {
            "title": f"{person.full_name} – {record.reference}",
            "case": record,
            "person": person,
            "profile": people_selectors.person_profile_for(request.user, person),
            "held_elsewhere": people_selectors.HELD_ELSEWHERE,
            "can_edit": request.user.role in PERSON_EDIT_ROLES,
            "can_merge": request.user.role == Role.SUPERVISOR,
            "detail_forms": {
                kind: title for kind, (_form, title, _template) in PERSON_DETAIL_FORMS.items()
            },
        },
    )


@role_required(*PERSON_EDIT_ROLES)
@case_page("case.person")
def case_person_add(request, case_id: int, kind: str, record):
    if kind not in PERSON_DETAIL_FORMS:
        raise Http404("No such detail")
    form_class, title, service_name = PERSON_DETAIL_FORMS[kind]
    person = people_selectors.person_survivor(record.person)
    initial = (
        {
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y")
            if person.date_of_birth
            else "",
        }
        if kind == "identity"
        else None
    )
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: getattr(people_services, service_name)(
            actor=request.user, person=person, **data
        ),
        success=_("Saved"),
        then=reverse("cases:person", kwargs={"case_id": record.pk}),
        field="value" if "value" in form.fields else None,
        template="cases/person_add.html",
        context={"title": title, "case": record, "person": person},
    )


@role_required(Role.SUPERVISOR)
@case_page("case.team")
def case_team(request, case_id: int, record):
    """A supervisor allocates officers of the force to the case team: a case opened at intake
    is otherwise visible only to the intake officer and supervisors (ARCHITECTURE.md §5)."""
    form = TeamAddForm(
        request.POST if request.method == "POST" else None,
        candidates=selectors.case_team_candidates(record),
    )
    if request.method == "POST" and form.is_valid():
        member = form.candidates[form.cleaned_data["user"]]
        services.case_team_add(actor=request.user, case=record, user=member)
        messages.success(
            request, _("%(full_name)s added to the case team") % {"full_name": member.full_name}
        )
        return redirect("cases:team", case_id=record.pk)
    return render(
        request,
        "cases/team.html",
        {
            "title": "Case team",
            "case": record,
            "team": selectors.case_team(record),
            "partners": selectors.case_partner_grants(record),
            "form": form,
        },
    )


@require_POST
@role_required(Role.SUPERVISOR)
@case_page("case.team")
def case_team_remove(request, case_id: int, user_id: int, record):
    """A supervisor takes an officer off the case team (audited; issue 11.7)."""
    case = record
    member = selectors.case_team_member(case, user_id=user_id)
    services.case_team_remove(actor=request.user, case=case, user=member)
    messages.success(
        request, _("%(full_name)s is no longer on the case team") % {"full_name": member.full_name}
    )
    return redirect("cases:team", case_id=case.pk)


@role_required(Role.SUPERVISOR)
@case_page("case.team")
def case_partner_revoke(request, case_id: int, grant_id: int, record):
    """A supervisor ends a partner organisation's access to the case, with the reason."""
    grant = selectors.case_partner_grant_get(record, grant_id=grant_id)
    form = AccessEndForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda data: services.case_partner_revoke(
            actor=request.user, grant=grant, reason=data["reason"]
        ),
        success=_("%(name)s no longer has access") % {"name": grant.organisation.name},
        then=reverse("cases:team", kwargs={"case_id": record.pk}),
        field="reason",
        template="cases/partner_revoke.html",
        context={
            "title": f"End {grant.organisation.name}'s access",
            "case": record,
            "grant": grant,
        },
    )


@role_required(Role.SUPERVISOR)
@case_page("case.person")
def case_person_merge(request, case_id: int, record):
    form = MergeForm(request.POST if request.method == "POST" else None)
    survivor = people_selectors.person_survivor(record.person)
    found = {}  # the other case, once the reference names one the user may see
    if request.method == "POST" and form.is_valid():
        try:
            found["other"] = selectors.case_get_by_reference_for_user(
                request.user, reference=form.cleaned_data["other_reference"]
            )
        except Http404:
            form.add_error("other_reference", "There is no case with that reference you can see")
    return form_page(
        request,
        form,
        lambda data: people_services.person_merge(
            actor=request.user,
            survivor=survivor,
            merged=people_selectors.person_survivor(found["other"].person),
            reason=data["reason"],
        ),
        success=_("The records have been merged; both histories are kept"),
        then=reverse("cases:person", kwargs={"case_id": record.pk}),
        field="other_reference",
        template="cases/person_merge.html",
        context={"title": "Merge duplicate records", "case": record, "person": survivor},
    )


@require_POST
@role_required(*CASEWORK_ROLES)
@case_page("case.tasks")
def case_task_done(request, case_id: int, task_id: int, record):
    task = selectors.case_task_get_for_user(request.user, case_id=case_id, task_id=task_id)
    return act(
        request,
        lambda: services.case_task_complete(actor=request.user, task=task),
        success=_("%(label)s: done") % {"label": task.label},
        then=reverse("cases:detail", kwargs={"case_id": case_id}),
    )
