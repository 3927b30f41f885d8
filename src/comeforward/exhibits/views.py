"""Exhibit pages: record, custody, examination import, detail. No business logic."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from comeforward.cases.case_pages import case_page
from comeforward.errors import DomainError
from comeforward.ui.forms import show_refusal
from comeforward.ui.permissions import role_required

from . import selectors, services, triage_jobs
from .access import DISCLOSERS, EXAMINERS, RECORDERS, VIEWERS
from .forms import (
    CustodyForm,
    ExaminationForm,
    ExhibitForm,
    FindingsForm,
    GradingForm,
    NewMaterialDisclosureForm,
    SampleReviewForm,
    TriageJobForm,
)

_consult = case_page("case.exhibits")


@role_required(*RECORDERS)
@_consult
def exhibit_new(request, case_id: int, record):
    form = ExhibitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            exhibit = services.exhibit_record(actor=request.user, case=record, **form.cleaned_data)
        except DomainError as refusal:
            form.add_error("reference", refusal.message)
        else:
            messages.success(request, f"Exhibit {exhibit.reference} recorded")
            return redirect("cases:detail", case_id=record.pk)
    return render(
        request, "exhibits/new.html", {"title": "Record an exhibit", "case": record, "form": form}
    )


@role_required(*VIEWERS)
@_consult
def exhibit_detail(request, case_id: int, exhibit_id: int, record):
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    return render(
        request,
        "exhibits/detail.html",
        {
            "title": f"Exhibit {exhibit.reference}",
            "case": record,
            "exhibit": exhibit,
            "custody": selectors.custody_log(exhibit),
            "examinations": selectors.examinations_with_exports(exhibit),
            "triage_jobs": selectors.triage_jobs_of(exhibit),
            "can_record": request.user.has_role(*RECORDERS),
            "can_examine": request.user.has_role(*EXAMINERS),
            "can_disclose": request.user.has_role(*DISCLOSERS),
        },
    )


@role_required(*RECORDERS)
@_consult
def custody_new(request, case_id: int, exhibit_id: int, record):
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    form = CustodyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.custody_event_record(actor=request.user, exhibit=exhibit, **form.cleaned_data)
        except DomainError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Custody entry recorded")
            return redirect("exhibits:detail", record.pk, exhibit.pk)
    return render(
        request,
        "exhibits/custody.html",
        {"title": "Record a custody entry", "case": record, "exhibit": exhibit, "form": form},
    )


@role_required(*EXAMINERS)
@_consult
def examination_import(request, case_id: int, exhibit_id: int, record):
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    form = ExaminationForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    error_code = None
    if request.method == "POST" and form.is_valid():
        export = form.cleaned_data["new_material"]
        signature = form.cleaned_data["signature"]
        try:
            services.examination_import(
                actor=request.user,
                exhibit=exhibit,
                report_bytes=form.cleaned_data["report"].read(),
                files_stream=form.cleaned_data["files_listing"],
                new_material_bytes=export.read() if export else None,
                signature_bytes=signature.read() if signature else None,
            )
        except DomainError as refusal:
            error_code = refusal.code
            form.add_error(None, f"{refusal.message} ({refusal.code})")
        else:
            messages.success(request, f"Triage result imported for exhibit {exhibit.reference}")
            return redirect("cases:detail", case_id=record.pk)
    return render(
        request,
        "exhibits/examination.html",
        {
            "title": "Import a triage result",
            "case": record,
            "exhibit": exhibit,
            "form": form,
            "error_code": error_code,
        },
        status=400 if error_code else 200,
    )


@role_required(*EXAMINERS)
@_consult
def triage_job_new(request, case_id: int, exhibit_id: int, record):
    """Ask a background worker to triage the exhibit's image or folder."""
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    form = TriageJobForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            triage_jobs.triage_job_request(
                actor=request.user,
                exhibit=exhibit,
                source_path=form.cleaned_data["source_path"],
                reader=form.cleaned_data["reader"],
            )
        except DomainError as refusal:
            form.add_error("source_path", f"{refusal.message} ({refusal.code})")
        else:
            messages.success(request, f"Triage of exhibit {exhibit.reference} is queued")
            return redirect("exhibits:detail", case_id=record.pk, exhibit_id=exhibit.pk)
    return render(
        request,
        "exhibits/triage_job.html",
        {"title": "Run triage on the worker", "case": record, "exhibit": exhibit, "form": form},
    )


@role_required(*DISCLOSERS)
@_consult
def new_material_download(request, case_id: int, exhibit_id: int, examination_id: int, record):
    """Ask the purpose, then serve the new-material export (an audited disclosure)."""
    export = selectors.new_material_export_get_for_user(
        request.user, case_id=record.pk, exhibit_id=exhibit_id, examination_id=examination_id
    )
    exhibit = export.examination.exhibit
    form = NewMaterialDisclosureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.new_material_disclose(
                actor=request.user, export=export, justification=form.justification()
            )
        except DomainError as refusal:
            form.add_error(None, f"{refusal.message} ({refusal.code})")
        else:
            response = HttpResponse(bytes(export.content), content_type="application/json")
            name = f"{record.reference}-{exhibit.reference}-new-material.vics.json"
            response["Content-Disposition"] = f'attachment; filename="{name.replace("/", "-")}"'
            response["Cache-Control"] = "no-store, max-age=0"
            response["X-Content-Type-Options"] = "nosniff"
            return response
    return render(
        request,
        "exhibits/new_material.html",
        {
            "title": "Download new-material export for the national database",
            "case": record,
            "exhibit": exhibit,
            "examination": export.examination,
            "export": export,
            "form": form,
        },
    )


def _examination_page(request, record, exhibit_id, examination_id, *, form_class, title, act):
    examination = selectors.examination_get_for_user(
        request.user, case_id=record.pk, exhibit_id=exhibit_id, examination_id=examination_id
    )
    initial = None
    if form_class is FindingsForm:
        initial = {"youngest_depicted_age": examination.youngest_depicted_age}
        if examination.findings:
            for k in ("production", "distribution", "contact_offending"):
                initial[k] = examination.findings.get(k)
            initial["notes"] = examination.findings.get("notes", "")
    form = form_class(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial=initial,
    )
    error_code = None
    if request.method == "POST" and form.is_valid():
        try:
            done = act(examination, form.cleaned_data)
        except DomainError as refusal:
            error_code = refusal.code
            where = refusal.details.get("positions") or [
                refusal.details[k] for k in ("line", "record") if k in refusal.details
            ]
            suffix = f" — at {', '.join(map(str, where))}" if where else ""
            form.add_error(None, f"{refusal.message}{suffix} ({refusal.code})")
        else:
            messages.success(request, done)
            return redirect("exhibits:detail", case_id=record.pk, exhibit_id=exhibit_id)
    return render(
        request,
        "exhibits/examination_form.html",
        {
            "title": title,
            "case": record,
            "exhibit": examination.exhibit,
            "examination": examination,
            "form": form,
            "error_code": error_code,
        },
        status=400 if error_code else 200,
    )


@role_required(*EXAMINERS)
@_consult
def grading_import(request, case_id: int, exhibit_id: int, examination_id: int, record):
    def act(examination, data):
        counts = services.examination_grading_import(
            actor=request.user,
            examination=examination,
            content=data["grading_file"].read(),
            profile=data["profile"] or None,
        )
        return (
            f"Grading applied: A {counts['A']}, B {counts['B']}, C {counts['C']}, "
            f"not indecent {counts['not_indecent']}"
        )

    return _examination_page(
        request,
        record,
        exhibit_id,
        examination_id,
        form_class=GradingForm,
        title="Import the grading of ungraded material",
        act=act,
    )


@role_required(*EXAMINERS)
@_consult
def sample_review(request, case_id: int, exhibit_id: int, examination_id: int, record):
    def act(examination, data):
        services.examination_sample_review_certify(
            actor=request.user, examination=examination, **data
        )
        return "Sample review certified"

    return _examination_page(
        request,
        record,
        exhibit_id,
        examination_id,
        form_class=SampleReviewForm,
        title="Certify a sample review of the ungraded material",
        act=act,
    )


@role_required(*EXAMINERS)
@_consult
def findings(request, case_id: int, exhibit_id: int, examination_id: int, record):
    def act(examination, data):
        services.examination_findings_record(actor=request.user, examination=examination, **data)
        return "Findings recorded"

    return _examination_page(
        request,
        record,
        exhibit_id,
        examination_id,
        form_class=FindingsForm,
        title="Record the examiner's findings",
        act=act,
    )
