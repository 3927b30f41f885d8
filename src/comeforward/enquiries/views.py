"""Staff pages for enquiries (intake officers and supervisors). No business logic here.

Opening an enquiry's messages is a *consultation* and asks for a reason (audit.access).
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.audit.access import consult_with_reason, remembered_reason
from comeforward.roles import Role
from comeforward.ui.forms import submit
from comeforward.ui.permissions import role_required

from . import selectors, services
from .conf import RETENTION_NEEDS_SIGNOFF, setting
from .forms import ConvertForm, MergeForm, ReplyForm, TagsForm
from .models import EnquiryStatus

RESPONDERS = (Role.INTAKE_OFFICER, Role.SUPERVISOR)
STAFF = "enquiries/staff/"


@role_required(*RESPONDERS)
def queue(request):
    status = request.GET.get("status", EnquiryStatus.OPEN)
    if status not in EnquiryStatus.values:
        status = EnquiryStatus.OPEN
    tag = request.GET.get("tag", "")
    context = {
        "title": "Enquiries",
        "enquiries": selectors.enquiry_queue(request.user, tag=tag, status=status),
        "status": status,
        "statuses": EnquiryStatus.choices,
        "tag": tag,
    }
    return render(request, STAFF + "queue.html", context)


def _detail_context(request, enquiry, *, consulted: bool = False, **forms):
    """The detail page. Messages are decrypted only when the view was entered through
    ``consult_with_reason`` (``consulted=True``), so every reading is audited; a form shown
    again with errors leaves them out."""
    thread, unreadable = selectors.enquiry_thread_or_why_not(enquiry) if consulted else ([], "")
    return {
        "title": enquiry.designation,
        "enquiry": enquiry,
        "thread": thread,
        "consulted": consulted,
        "unreadable": unreadable,
        "combined": selectors.combined_into(enquiry),
        "linked_case": selectors.enquiry_case_for_user(request.user, enquiry),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "tags_form": forms.get("tags_form")
        or TagsForm(initial={"tags": ", ".join(t.name for t in enquiry.tags.all())}),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "error": forms.get("error", ""),
    }


def _load(request, enquiry_id):
    return selectors.enquiry_get_for_user(request.user, enquiry_id=enquiry_id)


@role_required(*RESPONDERS)
@consult_with_reason(subject_type="enquiry", scope="enquiry.messages", load=_load)
def detail(request, enquiry_id: int, record):
    return render(request, STAFF + "detail.html", _detail_context(request, record, consulted=True))


@role_required(*RESPONDERS)
@require_POST
def reply(request, enquiry_id: int):
    enquiry = _load(request, enquiry_id)
    form = ReplyForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.enquiry_reply(
            actor=request.user,
            enquiry=enquiry,
            message=data["message"],
            justification=remembered_reason(request, "enquiry", enquiry.pk) or "",
        ),
        success=_("Reply sent. The person will see it when they return."),
        then=reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk}),
        field="message",
    ) or render(
        request,
        STAFF + "detail.html",
        _detail_context(request, enquiry, reply_form=form),
        status=400,
    )


@role_required(*RESPONDERS)
@require_POST
def tags(request, enquiry_id: int):
    enquiry = _load(request, enquiry_id)
    form = TagsForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.enquiry_tags_set(
            actor=request.user, enquiry=enquiry, tags=services.tags_parse(data["tags"])
        ),
        success=_("Tags saved"),
        then=reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk}),
        field="tags",
    ) or render(
        request,
        STAFF + "detail.html",
        _detail_context(request, enquiry, tags_form=form),
        status=400,
    )


@role_required(*RESPONDERS)
@require_POST
def merge(request, enquiry_id: int):
    target = _load(request, enquiry_id)
    form = MergeForm(request.POST)
    found = {}  # the enquiry to combine, once the designation names one
    if form.is_valid():
        source = selectors.enquiry_get_by_designation(
            request.user, designation=form.cleaned_data["other"]
        )
        if source is None:
            form.add_error("other", "There is no enquiry with that designation")
        else:
            found["source"] = source
    return submit(
        request,
        form,
        lambda data: services.enquiry_merge(
            actor=request.user,
            source=found["source"],
            target=target,
            justification=data["justification"],
        ),
        success=lambda _merged: (
            _("%(designation)s combined into this enquiry")
            % {"designation": found["source"].designation}
        ),
        then=reverse("enquiries:detail", kwargs={"enquiry_id": target.pk}),
        field="other",
    ) or render(
        request,
        STAFF + "detail.html",
        _detail_context(request, target, merge_form=form),
        status=400,
    )


@role_required(*RESPONDERS)
def convert(request):
    form = ConvertForm(request.POST or None)
    return submit(
        request,
        form,
        lambda data: services.enquiry_convert(
            actor=request.user,
            presented_reference=data["reference"],
            given_names=data["given_names"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            consent=data["consent"],
            consent_note=data["consent_note"],
        ),
        success=lambda case: (
            _("Case %(reference)s opened from the enquiry") % {"reference": case.reference}
        ),
        then=lambda case: reverse("cases:detail", kwargs={"case_id": case.pk}),
        field=lambda refusal: (
            "consent" if refusal.code == "ENQUIRY_CONSENT_REQUIRED" else "reference"
        ),
    ) or render(
        request,
        STAFF + "convert.html",
        {"title": "Someone has come forward", "form": form},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*selectors.STATISTICS_ROLES)
def statistics(request):
    context = {
        "title": "Enquiry statistics",
        "stats": selectors.enquiry_statistics(request.user),
        "retention_days": setting("ENQUIRY_RETENTION_DAYS"),
        "retention_needs_signoff": RETENTION_NEEDS_SIGNOFF,
    }
    return render(request, STAFF + "statistics.html", context)
