from __future__ import annotations

from django.http import Http404

from comeforward.cases.selectors import case_get_for_user

from .models import Document
from .registry import document_kinds


def documents_for_case(user, case) -> list[Document]:
    case = case_get_for_user(user, case_id=case.pk)
    return list(Document.objects.filter(case=case).defer("content").select_related("generated_by"))


def document_get_for_user(user, *, case, document_id: int) -> Document:
    case = case_get_for_user(user, case_id=case.pk)
    document = Document.objects.filter(case=case, pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    return document


def kinds_for(user) -> list:
    return [k for k in document_kinds() if user.role in k.roles]
