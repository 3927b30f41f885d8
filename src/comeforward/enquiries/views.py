"""Staff pages for enquiries (intake officers and supervisors). No business logic here.

Opening an enquiry's messages is a *consultation* and asks for a reason (audit.access).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from comeforward.audit.access import consult_with_reason, remembered_reason
from comeforward.errors import DomainError
from comeforward.roles import Role
from comeforward.ui.permissions import role_required

from . import selectors, services
from .conf import RETENTION_NEEDS_SIGNOFF, setting
from .errors import EnquiryPrivateKeyUnavailable
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
    thread, unreadable = [], ""
    if consulted:
        try:
            thread = selectors.enquiry_thread_for_staff(enquiry)
        except EnquiryPrivateKeyUnavailable as error:
            unreadable = error.message
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
    if form.is_valid():
        try:
            services.enquiry_reply(
                actor=request.user,
                enquiry=enquiry,
                message=form.cleaned_data["message"],
                justification=remembered_reason(request, "enquiry", enquiry.pk) or "",
            )
        except DomainError as error:
            form.add_error("message", error.message)
        else:
            messages.success(request, "Reply sent. The person will see it when they return.")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    return render(
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
    if form.is_valid():
        try:
            chosen = services.tags_parse(form.cleaned_data["tags"])
            services.enquiry_tags_set(actor=request.user, enquiry=enquiry, tags=chosen)
        except DomainError as error:
            form.add_error("tags", error.message)
        else:
            messages.success(request, "Tags saved")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    return render(
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
    if form.is_valid():
        source = selectors.enquiry_get_by_designation(
            request.user, designation=form.cleaned_data["other"]
        )
        if source is None:
            form.add_error("other", "There is no enquiry with that designation")
        else:
            try:
                services.enquiry_merge(
                    actor=request.user,
                    source=source,
                    target=target,
                    justification=form.cleaned_data["justification"],
                )
            except DomainError as error:
                form.add_error("other", error.message)
            else:
                messages.success(request, f"{source.designation} combined into this enquiry")
                return redirect("enquiries:detail", enquiry_id=target.pk)
    return render(
        request,
        STAFF + "detail.html",
        _detail_context(request, target, merge_form=form),
        status=400,
    )


@role_required(*RESPONDERS)
def convert(request):
    form = ConvertForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.enquiry_convert(
                    actor=request.user,
                    presented_reference=data["reference"],
                    given_names=data["given_names"],
                    family_name=data["family_name"],
                    date_of_birth=data["date_of_birth"],
                    consent=data["consent"],
                    consent_note=data["consent_note"],
                )
            except DomainError as error:
                field = "consent" if error.code == "ENQUIRY_CONSENT_REQUIRED" else "reference"
                form.add_error(field, error.message)
            else:
                messages.success(request, f"Case {case.reference} opened from the enquiry")
                return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        STAFF + "convert.html",
        {"title": "Someone has come forward", "form": form},
        status=status,
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
