"""Transfer pages (13.7; docs/register-transfer.md): export a record for another force,
import a transfer file, accept or refuse it with a reason, confirm the receiving force's
receipt. The signing and verification are ``transfer_services`` (the same functions as the
``register_transfer`` command); the keys are the installation's (``transfer_keys``).
Offender managers and supervisors of the force only; every write is audited by its service,
and opening a held transfer (the person's particulars) is an audited consultation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comeforward.audit.access import consult_with_reason
from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError
from comeforward.ui.forms import act, attempt, submit
from comeforward.ui.permissions import role_required

from . import selectors
from .forms import TransferExportForm, TransferFileForm, TransferRefuseForm
from .transfer import TransferRefused
from .transfer_keys import configured, signing_key, trusted_keys
from .transfer_services import (
    register_transfer_accept,
    register_transfer_confirm,
    register_transfer_export,
    register_transfer_import,
    register_transfer_refuse,
)
from .views import MANAGERS, _load


def _json_upload(form) -> object:
    try:
        return json.loads(form.cleaned_data["file"].read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise TransferRefused("The file is not a JSON transfer file") from None


def _with_code(refusal: DomainError) -> str:
    """A transfer's refusal names its code, for the sending force's help desk."""
    return f"{refusal.message} ({refusal.code})"


def _submit_file(request, form, action, *, success, then):
    """:func:`~comeforward.ui.forms.submit` for a transfer file: a refusal also shows its
    code above the form."""
    outcome = attempt(request, form, action)
    if outcome.refusal is not None:
        form.add_error(None, f"({outcome.refusal.code})")
    if not outcome:
        return None
    messages.success(request, success(outcome.result) if callable(success) else success)
    return redirect(then(outcome.result))


def _download(body: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _list_page(request, *, import_form=None, confirm_form=None, status=200):
    transfers = selectors.transfers_for_user(request.user)
    return render(
        request,
        "register/transfers.html",
        {
            "title": "Transfers between forces",
            "incoming": [t for t in transfers if t.direction == "in"],
            "outgoing": [t for t in transfers if t.direction == "out"],
            "import_form": import_form or TransferFileForm(prefix="import"),
            "confirm_form": confirm_form or TransferFileForm(prefix="receipt"),
            "configured": configured(),
        },
        status=status,
    )


@role_required(*MANAGERS)
def transfer_list(request):
    return _list_page(request)


@role_required(*MANAGERS)
@require_POST
def transfer_import(request):
    form = TransferFileForm(request.POST, request.FILES, prefix="import")
    return _submit_file(
        request,
        form,
        lambda _data: register_transfer_import(
            actor=request.user,
            envelope=_json_upload(form),
            organisation=request.user.organisation,
            trusted_keys=trusted_keys(),
        ),
        success=_("Transfer file checked and held: accept or refuse it"),
        then=lambda transfer: reverse("register:transfer", kwargs={"transfer_id": transfer.pk}),
    ) or _list_page(request, import_form=form, status=400)


@role_required(*MANAGERS)
@require_POST
def transfer_confirm(request):
    form = TransferFileForm(request.POST, request.FILES, prefix="receipt")
    return _submit_file(
        request,
        form,
        lambda _data: register_transfer_confirm(
            actor=request.user, receipt=_json_upload(form), trusted_keys=trusted_keys()
        ),
        success=lambda record: (
            _("Receipt confirmed: the record is now with %(transferred_to)s")
            % {"transferred_to": record.transferred_to}
        ),
        then=lambda record: reverse("register:detail", kwargs={"record_id": record.pk}),
    ) or _list_page(request, confirm_form=form, status=400)


@role_required(*MANAGERS)
def transfer_detail(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(request.user, transfer_id=transfer_id)
    summary = selectors.transfer_summary(transfer)
    if summary is not None:  # the held file's particulars are read: a consultation (s.62)
        audit_record(
            actor=request.user,
            operation=Operation.CONSULT,
            subject_type="register_transfer",
            subject_id=transfer.pk,
            scope="register.transfer_view",
            justification="Deciding whether to accept a transfer of notification requirements",
            details={"from_force": transfer.from_force, "status": transfer.status},
        )
    return render(
        request,
        "register/transfer_detail.html",
        {
            "title": "Incoming transfer" if transfer.direction == "in" else "Outgoing transfer",
            "transfer": transfer,
            "summary": summary,
        },
    )


@role_required(*MANAGERS)
@require_POST
def transfer_accept(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(request.user, transfer_id=transfer_id)
    return act(
        request,
        lambda: register_transfer_accept(
            actor=request.user, transfer=transfer, signing_key=signing_key()
        ),
        success=_(
            "Transfer accepted: the record is now this force's. Send the receipt to the "
            "sending force"
        ),
        then=reverse("register:transfer", kwargs={"transfer_id": transfer.pk}),
        message=_with_code,
    )


@role_required(*MANAGERS)
def transfer_refuse(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(request.user, transfer_id=transfer_id)
    form = TransferRefuseForm(request.POST or None)
    refused = submit(
        request,
        form,
        lambda data: register_transfer_refuse(
            actor=request.user, transfer=transfer, reason=data["reason"]
        ),
        success=_("Transfer refused; the held file has been deleted"),
        then=reverse("register:transfer", kwargs={"transfer_id": transfer.pk}),
    )
    if refused is not None:
        return refused
    return render(
        request,
        "register/form.html",
        {
            "title": f"Refuse the transfer from {transfer.from_force}",
            "form": form,
            "record": None,
            "submit": "Refuse the transfer",
        },
        status=400 if form.errors else 200,
    )


@role_required(*MANAGERS)
def transfer_receipt(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(request.user, transfer_id=transfer_id)
    if not transfer.receipt:
        messages.error(request, _("This transfer has no receipt: it has not been accepted here"))
        return redirect("register:transfer", transfer_id=transfer.pk)
    return _download(json.loads(transfer.receipt), f"transfer-receipt-{transfer.pk}.json")


@role_required(*MANAGERS)
@consult_with_reason(subject_type="case", scope="register.record", load=_load)
def record_transfer_export(request, record_id: int, record):
    register_record = record.record
    form = TransferExportForm(request.POST or None)
    made = attempt(
        request,
        form,
        lambda data: register_transfer_export(
            actor=request.user,
            record=register_record,
            to_force=data["to_force"],
            signing_key=signing_key(),
            reason=data["reason"],
        ),
    )
    if made:
        return _download(
            made.result,
            f"register-transfer-{register_record.case.reference}-"
            f"{form.cleaned_data['to_force']}.json".replace("/", "-").replace('"', ""),
        )
    return render(
        request,
        "register/form.html",
        {
            "title": "Transfer the record to another force",
            "form": form,
            "record": register_record,
            "submit": "Make the signed transfer file",
        },
        status=400 if form.errors else 200,
    )
