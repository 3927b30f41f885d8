"""Leads pages: thin over selectors and services. Every bulk view is consulted with a reason
and every export is a disclosure with a justification, both watermarked (who, when)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.audit.access import consult_with_reason
from comeforward.ui.forms import act, attempt, submit

from . import selectors, services
from .domain import workflow
from .domain.priority import ACTION_TIMESCALE_DAYS, TIMESCALES_SIGN_OFF, URGENCY_LABELS
from .forms import ACTION_FORMS, LinkDecisionForm, ReasonForm, UploadForm
from .waterfall import waterfall_svg


def compartment_required(view):
    """403 for anyone outside the leads compartment (the leads team and named supervisors)."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not selectors.in_compartment(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _context(request, title: str, **extra):
    return {
        "title": title,
        "watermark": services.watermark(request.user, timezone.now()),
        **extra,
    }


@compartment_required
def batch_list(request):
    batches = selectors.batches_visible_to(request.user).order_by("-imported_at")
    return render(request, "leads/batches.html", _context(request, "Bulk leads", batches=batches))


@compartment_required
def batch_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    imported = attempt(
        request,
        form,
        lambda data: services.batch_import(
            actor=request.user,
            kind=data["kind"],
            filename=data["file"].name,
            data=data["file"].read(),
            source=data["source"],
            legal_basis=data["legal_basis"],
            grading=data["grading"],
        ),
    )
    if imported:
        messages.success(
            request, _("Imported %(row_count)s leads") % {"row_count": imported.result.row_count}
        )
        return redirect("leads:batch", batch_id=imported.result.pk)
    # A refused file lists its rows at fault (``details["errors"]``).
    problems = imported.refusal.details.get("errors", []) if imported.refusal else []
    return render(
        request,
        "leads/upload.html",
        _context(request, "Import a bulk file", form=form, problems=problems),
    )


@compartment_required
@consult_with_reason(
    subject_type="lead_batch",
    scope="leads.batch_view",
    load=lambda request, batch_id: selectors.batch_get_for_user(request.user, batch_id=batch_id),
)
def batch_detail(request, batch_id: int, record):
    return render(
        request,
        "leads/batch.html",
        _context(
            request,
            f"Batch B{record.pk}",
            batch=record,
            leads=selectors.batch_leads(record),
            runs=selectors.batch_runs(record),
            reason_form=ReasonForm(),
        ),
    )


@require_POST
@compartment_required
def batch_export(request, batch_id: int):
    batch = selectors.batch_get_for_user(request.user, batch_id=batch_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need the export"))
        return redirect("leads:batch", batch_id=batch.pk)
    body = services.batch_export(
        actor=request.user, batch=batch, justification=form.cleaned_data["justification"]
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leads-B{batch.pk}.csv"'
    return response


@require_POST
@compartment_required
def batch_link(request, batch_id: int):
    batch = selectors.batch_get_for_user(request.user, batch_id=batch_id)
    return act(
        request,
        lambda: services.batch_link(actor=request.user, batch=batch),
        success=lambda run: (
            _("Linkage run: %(count)s proposed links") % {"count": run.links.count()}
        ),
        then=reverse("leads:batch", kwargs={"batch_id": batch.pk}),
    )


@compartment_required
def queue(request):
    leads = selectors.lead_queue(request.user)
    return render(
        request,
        "leads/queue.html",
        _context(
            request,
            "Leads by urgency",
            leads=leads,
            labels=URGENCY_LABELS,
            days=ACTION_TIMESCALE_DAYS,
            sign_off=TIMESCALES_SIGN_OFF,
            states=workflow.STATES,
        ),
    )


@compartment_required
def review(request):
    return render(
        request,
        "leads/review.html",
        _context(request, "Links to review", links=selectors.review_queue(request.user)),
    )


@compartment_required
def statistics(request):
    counts = selectors.outcome_statistics(organisation_id=request.user.organisation_id)
    labels = dict(workflow.STATES)
    labels.update({f"nfa_{k}": v for k, v in workflow.NFA_REASONS.items()})
    rows = [(labels.get(key, key), count) for key, count in counts.items()]
    return render(request, "leads/statistics.html", _context(request, "Lead outcomes", rows=rows))


def _lead_page(request, lead, forms=None, status=200):
    forms = forms or {}
    blockers = services.authorisation_blockers(actor=request.user, lead=lead)
    strength, why = services.lead_strength(lead)
    kirat = list(lead.kirat_results.order_by("-assessed_on"))
    return render(
        request,
        "leads/lead.html",
        _context(
            request,
            f"Lead {lead.reference}",
            lead=lead,
            batch=lead.batch,
            states=workflow.STATES,
            nfa_reasons=workflow.NFA_REASONS,
            corroboration_kinds=workflow.CORROBORATION_KINDS,
            forms={name: forms.get(name) or form() for name, form in ACTION_FORMS.items()},
            blockers=blockers,
            strength=strength,
            strength_why=why,
            urgency_label=URGENCY_LABELS[lead.urgency],
            days=ACTION_TIMESCALE_DAYS[lead.urgency],
            sign_off=TIMESCALES_SIGN_OFF,
            kirat=kirat,
            proposal=selectors.lead_current_proposal(lead),
            links=selectors.lead_links(lead),
            is_open=lead.state in workflow.OPEN_STATES,
            is_supervisor=selectors.is_named_supervisor(request.user),
        ),
        status=status,
    )


@compartment_required
@consult_with_reason(
    subject_type="lead",
    scope="leads.lead",
    load=lambda request, lead_id: selectors.lead_get_for_user(request.user, lead_id=lead_id),
)
def lead_detail(request, lead_id: int, record):
    return _lead_page(request, record)


@require_POST
@compartment_required
def lead_act(request, lead_id: int):
    lead = selectors.lead_get_for_user(request.user, lead_id=lead_id)
    action = request.POST.get("step", "")
    if action not in ACTION_FORMS:
        raise PermissionDenied
    form = ACTION_FORMS[action](request.POST)
    user = request.user
    steps = {
        "annotate": lambda data: services.lead_annotate(actor=user, lead=lead, text=data["text"]),
        "corroborate": lambda data: services.lead_corroborate(actor=user, lead=lead, **data),
        "access": lambda data: services.lead_record_access_check(
            actor=user, lead=lead, access_to_children=data["access_to_children"] == "yes"
        ),
        "kirat": lambda data: services.lead_record_kirat(actor=user, lead=lead, **data),
        "propose": lambda data: services.lead_propose_action(actor=user, lead=lead, **data),
        "authorise": lambda data: services.lead_authorise_action(
            actor=user, lead=lead, note=data["note"]
        ),
        "nfa": lambda data: services.lead_no_further_action(actor=user, lead=lead, **data),
        "open_case": lambda _data: services.lead_open_case(actor=user, lead=lead),
    }
    taken = attempt(request, form, steps.get(action, lambda _data: None))
    if not taken:  # an invalid form or a refusal (on the form)
        return _lead_page(request, lead, {action: form}, status=400)
    if action == "open_case":
        case = taken.result
        messages.success(
            request, _("Investigation case %(reference)s opened") % {"reference": case.reference}
        )
        return redirect("cases:detail", case_id=case.pk)
    messages.success(request, _("Saved"))
    return redirect("leads:lead", lead_id=lead.pk)


@compartment_required
def link_detail(request, link_id: int):
    link = selectors.link_get_for_user(request.user, link_id=link_id)
    form = LinkDecisionForm(request.POST or None)
    decided = submit(
        request,
        form,
        lambda data: services.link_decide(actor=request.user, link=link, **data),
        success=_("Decision recorded"),
        then=reverse("leads:review"),
    )
    if decided is not None:
        return decided
    chart = waterfall_svg(link.explanation, title=f"How the match weight of link {link.pk} adds up")
    return render(
        request,
        "leads/link.html",
        _context(request, f"Proposed link {link.pk}", link=link, chart=chart, form=form),
    )
