"""``document_generate``: render, hash, store, audit as a disclosure."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from comeforward.audit.operations import Operation
from comeforward.audit.services import JustificationRequired, audit_record
from comeforward.errors import DomainError

from .models import Document
from .registry import DocumentUnavailable, document_kind
from .render import render_pdf

#: Document kinds available in Welsh (issue 20.9; draft translations awaiting review,
#: docs/welsh.md): every document given to the person. Any other kind asked for in Welsh is
#: refused, never silently English.
WELSH_KINDS = frozenset(
    {
        "notification_notice",
        "requirements_ended",
        "caution_record",
        "decision_record",
        "treatment_referral",
    }
)


class LanguageNotAvailable(DomainError):
    code = "DOCUMENT_LANGUAGE_NOT_AVAILABLE"


def document_generate(
    *,
    actor,
    case,
    kind: str,
    justification: str,
    language: str | None = None,
    for_the_person: bool = False,
) -> Document:
    """Render, hash, store and audit a document; ``language`` ``cy`` renders it in Welsh
    (its ``<html lang>`` and so the PDF's language say so). Without ``language`` the person's
    preference decides (``Person.language``); a language chosen for the person's own copy
    (``for_the_person``) is kept as their preference (docs/welsh.md)."""
    spec = document_kind(kind)
    person = getattr(case, "person", None)
    if language is None:
        language = getattr(person, "language", "") or "en"
    if language not in ("en", "cy"):
        raise LanguageNotAvailable("Choose English or Welsh", details={"language": language})
    if language == "cy" and kind not in WELSH_KINDS:
        raise LanguageNotAvailable(
            f"The {spec.title.lower()} is not yet available in Welsh",
            details={"kind": kind, "language": language},
        )
    if not justification.strip():
        raise JustificationRequired("Choose the purpose of this document")
    if getattr(actor, "role", None) not in spec.roles:
        raise DocumentUnavailable(f"Your role may not generate the {spec.title.lower()}")
    generated_at = timezone.now()
    with translation.override("cy" if language == "cy" else "en-gb"):
        context = spec.context(actor, case) | {
            "case": case,
            "document_title": translation.gettext(spec.title),
            "generated_at": generated_at,
            "generated_by": actor,
            "marking": settings.PROTECTIVE_MARKING,
        }
        pdf = render_pdf(spec.template, context)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        if for_the_person and person is not None:
            from comeforward.people.services import person_language_set

            person_language_set(actor=actor, person=person, language=language)
        document = Document.objects.create(
            case=case,
            kind=kind,
            title=spec.title,
            content=pdf,
            sha256=digest,
            size=len(pdf),
            justification=justification.strip(),
            generated_by=actor,
            generated_at=generated_at,
        )
        audit_record(
            actor=actor,
            operation=Operation.DISCLOSE,
            subject_type="case",
            subject_id=case.pk,
            subject_ref=case.reference,
            scope=f"document.{kind}",
            justification=justification.strip(),
            details={
                "document": document.pk,
                "sha256": digest,
                "kind": kind,
                **({"language": "cy"} if language == "cy" else {}),
            },
        )
    return document
