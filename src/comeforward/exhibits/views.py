"""Exhibit pages: record, custody, examination import, detail. No business logic: forms go to
the services through ``ui.forms.submit`` (a refusal is shown on the form, with its code on
the import pages); who may open a page, and which links the pages show, is the one permission
rule (``permissions.exhibit_actions``) — through ``case_action`` for the case, and for the one
exhibit or examination a page is about."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from comeforward.cases.case_pages import case_action, case_page
from comeforward.ui.forms import submit
from comeforward.ui.permissions import role_required

from . import permissions, selectors, services, triage_jobs
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


def _case_url(case) -> str:
    return reverse("cases:detail", kwargs={"case_id": case.pk})


def _exhibit_url(case, exhibit_id: int) -> str:
    return reverse("exhibits:detail", kwargs={"case_id": case.pk, "exhibit_id": exhibit_id})


def _refused(request, action, then: str):
    """The rule refuses this action on this exhibit or examination: back, with why."""
    messages.error(request, action.reason)
    return redirect(then)


def _refusal_code(form) -> str | None:
    refusal = getattr(form, "refusal", None)
    return refusal.code if refusal is not None else None


@role_required(*RECORDERS)
@_consult
@case_action(permissions.RECORD)
def exhibit_new(request, case_id: int, record):
    form = ExhibitForm(request.POST if request.method == "POST" else None)
    return submit(
        request,
        form,
        lambda data: services.exhibit_record(actor=request.user, case=record, **data),
        success=_("Exhibit %(reference)s recorded")
        % {"reference": form.data.get("reference", "").strip().upper()},
        then=_case_url(record),
    ) or render(
        request, "exhibits/new.html", {"title": "Record an exhibit", "case": record, "form": form}
    )


@role_required(*VIEWERS)
@_consult
def exhibit_detail(request, case_id: int, exhibit_id: int, record):
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    examinations = selectors.examinations_with_exports(exhibit)
    return render(
        request,
        "exhibits/detail.html",
        {
            "title": f"Exhibit {exhibit.reference}",
            "case": record,
            "exhibit": exhibit,
            "custody": selectors.custody_log(exhibit),
            "examinations": examinations,
            "triage_jobs": selectors.triage_jobs_of(exhibit),
            # The links: the one permission rule (permissions.py), never re-derived here.
            "actions": permissions.for_exhibit(request.user, record, exhibit),
            "examination_actions": {
                exam.pk: permissions.for_examination(
                    request.user,
                    record,
                    new_material=exam.has_new_material_export,  # type: ignore[attr-defined]  # annotated
                )
                for exam in examinations
            },
        },
    )


@role_required(*RECORDERS)
@_consult
def custody_new(request, case_id: int, exhibit_id: int, record):
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    then = _exhibit_url(record, exhibit.pk)
    action = permissions.for_exhibit(request.user, record, exhibit)["custody"]
    if not action.allowed:
        return _refused(request, action, then)
    form = CustodyForm(request.POST if request.method == "POST" else None)
    return submit(
        request,
        form,
        lambda data: services.custody_event_record(actor=request.user, exhibit=exhibit, **data),
        success=_("Custody entry recorded"),
        then=then,
    ) or render(
        request,
        "exhibits/custody.html",
        {"title": "Record a custody entry", "case": record, "exhibit": exhibit, "form": form},
    )


@role_required(*EXAMINERS)
@_consult
def examination_import(request, case_id: int, exhibit_id: int, record):
    exhibit = selectors.exhibit_get_for_user(request.user, case_id=record.pk, exhibit_id=exhibit_id)
    action = permissions.for_exhibit(request.user, record, exhibit)["examination_import"]
    if not action.allowed:
        return _refused(request, action, _exhibit_url(record, exhibit.pk))
    form = ExaminationForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )

    def act(data):
        export, signature = data["new_material"], data["signature"]
        services.examination_import(
            actor=request.user,
            exhibit=exhibit,
            report_bytes=data["report"].read(),
            files_stream=data["files_listing"],
            new_material_bytes=export.read() if export else None,
            signature_bytes=signature.read() if signature else None,
        )

    done = submit(
        request,
        form,
        act,
        success=_("Triage result imported for exhibit %(reference)s")
        % {"reference": exhibit.reference},
        then=_case_url(record),
    )
    if done is not None:
        return done
    error_code = _refusal_code(form)
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
    then = _exhibit_url(record, exhibit.pk)
    action = permissions.for_exhibit(request.user, record, exhibit)["triage_job"]
    if not action.allowed:
        return _refused(request, action, then)
    form = TriageJobForm(request.POST if request.method == "POST" else None)
    return submit(
        request,
        form,
        lambda data: triage_jobs.triage_job_request(
            actor=request.user,
            exhibit=exhibit,
            source_path=data["source_path"],
            reader=data["reader"],
        ),
        success=_("Triage of exhibit %(reference)s is queued") % {"reference": exhibit.reference},
        then=then,
    ) or render(
        request,
        "exhibits/triage_job.html",
        {
            "title": "Run triage on the worker",
            "case": record,
            "exhibit": exhibit,
            "form": form,
            "error_code": _refusal_code(form),
        },
    )


@role_required(*DISCLOSERS)
@_consult
def new_material_download(request, case_id: int, exhibit_id: int, examination_id: int, record):
    """Ask the purpose, then serve the new-material export (an audited disclosure)."""
    export = selectors.new_material_export_get_for_user(
        request.user, case_id=record.pk, exhibit_id=exhibit_id, examination_id=examination_id
    )
    exhibit = export.examination.exhibit
    action = permissions.for_examination(request.user, record, new_material=True)
    if not action["disclose_new_material"].allowed:
        return _refused(request, action["disclose_new_material"], _exhibit_url(record, exhibit.pk))
    form = NewMaterialDisclosureForm(request.POST if request.method == "POST" else None)
    disclosed = submit(
        request,
        form,
        lambda _data: services.new_material_disclose(
            actor=request.user, export=export, justification=form.justification()
        ),
        success=_("New-material export downloaded"),
        then=_exhibit_url(record, exhibit.pk),
    )
    if disclosed is not None:
        # The disclosure is recorded: the answer is the file itself, not the redirect (and
        # not its message: there is no page to show it on).
        list(messages.get_messages(request))
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
    then = _exhibit_url(record, exhibit_id)
    action = permissions.for_examination(request.user, record, new_material=False)["examine"]
    if not action.allowed:
        return _refused(request, action, then)
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
    said: list[str] = []
    done = submit(
        request,
        form,
        lambda data: said.append(act(examination, data)),
        # What was done is known once the service has run (the message is read after).
        success=lazy(lambda: said[0], str)(),
        then=then,
    )
    if done is not None:
        return done
    refusal = getattr(form, "refusal", None)
    where = []
    if refusal is not None:
        where = refusal.details.get("positions") or [
            refusal.details[k] for k in ("line", "record") if k in refusal.details
        ]
    return render(
        request,
        "exhibits/examination_form.html",
        {
            "title": title,
            "case": record,
            "exhibit": examination.exhibit,
            "examination": examination,
            "form": form,
            "error_code": refusal.code if refusal is not None else None,
            "error_where": ", ".join(map(str, where)),
        },
        status=400 if refusal is not None else 200,
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
