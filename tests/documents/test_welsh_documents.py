"""Every document given to the person in Welsh or English (issue 20.9, docs/welsh.md): the
caution record and the decision record in Welsh (draft translations, said so in the PDF),
the PDF's language set, the labels translated; the person's language preference chooses the
language when none is asked for, and the language of the person's own copy is kept."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from comeforward.audit.access import remember_reason
from comeforward.audit.models import AuditEvent
from comeforward.decisions.documents import LABELS
from comeforward.documents.messages import LABEL_MESSAGES
from comeforward.documents.services import document_generate
from comeforward.treatment.documents import REFERRAL_DOCUMENT

from .test_documents import _isolated, _pdf_objects, cautioned, needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db
__all__ = ["_isolated", "cautioned"]


def _flat(document) -> str:
    return " ".join(pdf_text(bytes(document.content)).split())


@needs_pdftotext
def test_the_caution_record_in_welsh(cautioned):
    case, a, _ = cautioned
    document = document_generate(
        actor=a, case=case, kind="caution_record", justification="Their copy", language="cy"
    )
    text = _flat(document)
    assert "Cofnod rhybudd" in text
    assert "Rhybudd amodol (Deddf Cyfiawnder Troseddol 2003 Rhan 3)" in text
    assert "Dyddiad y rhybudd 2 Mawrth 2026" in text
    assert "Oes: 2 flynedd o 2 Mawrth 2026, y diwrnod olaf 1 Mawrth 2028." in text
    assert "Mynychu a chwblhau’r rhaglen driniaeth: Attend the group programme." in text
    assert "Dyddiad olaf: 20 Gorffennaf 2026." in text
    assert "Gofynion ar gyfer y rhybudd (Deddf Cyfiawnder Troseddol 2003 adran 23)" in text
    assert "Cyfieithiad drafft sy’n aros am adolygiad" in text  # never presented as verified
    assert "Caution record" not in text and "Conditional caution" not in text
    assert b"/Lang (cy)" in _pdf_objects(bytes(document.content))


@needs_pdftotext
def test_the_decision_record_in_welsh_marks_the_policy_text_english(cautioned, monkeypatch):
    from django.template.loader import render_to_string

    from comeforward.documents import services

    html = []
    real = services.render_pdf

    def capture(template, context):
        html.append(render_to_string(template, context))
        return real(template, context)

    monkeypatch.setattr(services, "render_pdf", capture)
    case, a, _ = cautioned
    document = document_generate(
        actor=a, case=case, kind="decision_record", justification="x", language="cy"
    )
    text = _flat(document)
    assert "Cofnod penderfyniad" in text
    assert "Dargyfeirio: rhybudd gydag amodau" in text
    assert "Meini prawf o dan bolisi default-2026.1" in text
    assert "E7 Image severity and volume" in text  # the policy's own words, marked lang="en"
    assert b"/Lang (cy)" in _pdf_objects(bytes(document.content))
    assert '<span lang="en">Image severity and volume</span>' in html[0]


def test_the_persons_preference_chooses_the_language_and_their_copy_keeps_it(cautioned):
    case, a, _ = cautioned
    assert case.person.language == "en"
    document_generate(
        actor=a,
        case=case,
        kind="caution_record",
        justification="Their copy",
        language="cy",
        for_the_person=True,
    )
    case.person.refresh_from_db()
    assert case.person.language == "cy"
    kept = AuditEvent.objects.filter(scope="person.language").get()
    assert (kept.operation, kept.details) == ("alter", {"before": "en", "after": "cy"})
    # No language asked for: the person's preference decides.
    document_generate(actor=a, case=case, kind="caution_record", justification="For the file")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.details["language"] == "cy"
    # A copy for the case file does not change the person's preference.
    document_generate(
        actor=a, case=case, kind="caution_record", justification="For the file", language="en"
    )
    case.person.refresh_from_db()
    assert case.person.language == "cy"


def test_the_generate_page_preselects_the_persons_language(cautioned, sign_in):
    case, a, _ = cautioned
    case.person.language = "cy"
    case.person.save()
    client = sign_in(a)
    session = client.session
    remember_reason(SimpleNamespace(session=session), "case", case.pk, "Their copy")
    session.save()
    response = client.get(f"/cases/{case.pk}/documents/generate")
    assert response.status_code == 200
    assert b'value="cy" checked' in response.content


def test_every_label_a_document_shows_is_a_message():
    """The labels live in pure domain modules; their texts must be repeated in
    ``documents.messages`` or a Welsh document would show them in English."""
    shown = {text for labels in LABELS.values() for text in labels.values()}
    assert shown - set(LABEL_MESSAGES) == set()
    assert REFERRAL_DOCUMENT.title in _catalogue_ids()


def _catalogue_ids() -> set[str]:
    from django.utils import translation

    with translation.override("cy"):
        return {
            text
            for text in ("Caution record", "Decision record", "Treatment referral")
            if translation.gettext(text) != text
        }
