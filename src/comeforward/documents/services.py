"""``document_generate``: render, hash, store, audit as a disclosure."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import JustificationRequired, audit_record

from .models import Document
from .registry import DocumentUnavailable, document_kind
from .render import render_pdf


def document_generate(*, actor, case, kind: str, justification: str) -> Document:
    spec = document_kind(kind)
    if not justification.strip():
        raise JustificationRequired("Choose the purpose of this document")
    if getattr(actor, "role", None) not in spec.roles:
        raise DocumentUnavailable(f"Your role may not generate the {spec.title.lower()}")
    generated_at = timezone.now()
    context = spec.context(actor, case) | {
        "case": case,
        "document_title": spec.title,
        "generated_at": generated_at,
        "generated_by": actor,
        "marking": settings.PROTECTIVE_MARKING,
    }
    pdf = render_pdf(spec.template, context)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
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
            details={"document": document.pk, "sha256": digest, "kind": kind},
        )
    return document
