from __future__ import annotations

from django.http import Http404

from comeforward.cases.selectors import case_get_for_user

from .models import Document
from .registry import document_kinds


def kind_keys_for(user) -> set[str]:
    """The document kinds ``user``'s role may make *and* read: each document is checked
    against its own kind, never against "any kind this role can make" (issue 11.8). A kind
    no longer registered is readable by nobody (fail closed)."""
    return {k.key for k in kinds_for(user)}


def documents_for_case(user, case) -> list[Document]:
    """The case's documents of the kinds ``user`` may read."""
    case = case_get_for_user(user, case_id=case.pk)
    return list(
        Document.objects.filter(case=case, kind__in=sorted(kind_keys_for(user)))
        .defer("content")
        .select_related("generated_by")
    )


def document_get_for_user(user, *, case, document_id: int) -> Document:
    """One document of a case the user may see, of a kind the user's role may read (404
    otherwise: the answer does not say whether a document of another kind exists)."""
    case = case_get_for_user(user, case_id=case.pk)
    document = Document.objects.filter(
        case=case, pk=document_id, kind__in=sorted(kind_keys_for(user))
    ).first()
    if document is None:
        raise Http404("No such document")
    return document


def kinds_for(user) -> list:
    return [k for k in document_kinds() if user.role in k.roles]
