from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.cases.case_pages import case_page
from comeforward.roles import CASEWORK_ROLES
from comeforward.ui.forms import form_page
from comeforward.ui.permissions import role_required

from . import selectors, services
from .forms import GenerateForm


@role_required(*CASEWORK_ROLES)
@case_page("document.generate")
def generate(request, case_id: int, record):
    kinds = selectors.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    # ``?kind=`` preselects a kind (links from a panel, e.g. treatment's referral document).
    wanted = request.GET.get("kind", "")
    initial = {"kind": wanted} if wanted in {k.key for k in kinds} else {}
    # The person's language preference is preselected (issue 20.9, docs/welsh.md).
    initial["language"] = getattr(record.person, "language", "") or "en"
    form = GenerateForm(request.POST or None, kinds=kinds, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.document_generate(
            actor=request.user,
            case=record,
            kind=data["kind"],
            justification=form.justification(),
            language=data.get("language") or None,
            for_the_person=data["purpose"] == "give_to_person",
        ),
        success=lambda document: (
            _("%(title)s generated (SHA-256 %(sha256)s)")
            % {"title": document.title, "sha256": document.sha256}
        ),
        then=reverse("cases:detail", kwargs={"case_id": record.pk}),
        template="decisions/form_page.html",
        context={"title": "Generate a document", "case": record, "button_text": "Generate the PDF"},
    )


@role_required(*CASEWORK_ROLES)
@case_page("document.download")
def download(request, case_id: int, document_id: int, record):
    if not selectors.kinds_for(request.user):
        raise PermissionDenied
    document = selectors.document_get_for_user(request.user, case=record, document_id=document_id)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{record.reference}-{document.kind}.pdf"'
    )
    return response
