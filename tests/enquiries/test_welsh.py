"""Welsh (issue 20.9): the public /ask/ pages in Welsh and English, chosen by a language
switch that travels in the address and the forms (no cookie); the page says its language;
every Welsh string is a draft marked for review; the compiled catalogue matches the .po."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.utils import translation

from .conftest import shown_reference

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src/comeforward/locale/cy/LC_MESSAGES/django.po"
REVIEW = "Draft Welsh: needs review by a qualified Welsh translator before release"
WELSH_H1 = {
    "/ask/": "Gofyn cwestiwn yn ddienw",
    "/ask/question": "Gofynnwch eich cwestiwn",
    "/ask/return": "Dychwelyd at eich ymholiad",
    "/ask/no-such-page": "Heb ddod o hyd i’r dudalen",
}


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>\s*([^<]+?)\s*</h1>", html).group(1)


@pytest.mark.parametrize("path", list(WELSH_H1))
def test_each_public_page_in_welsh_says_so_and_sets_no_cookie(public_client, path):
    response = public_client.get(path, {"lang": "cy"})
    html = response.content.decode()
    assert _h1(html) == WELSH_H1[path]
    assert '<html lang="cy"' in html and response["Content-Language"] == "cy"
    assert 'data-testid="translation-review"' in html  # never presented as verified
    switch = html.split('data-testid="language-switch"')[1].split("</nav>")[0]
    assert 'hreflang="en"' in switch and '<span aria-current="true">Cymraeg</span>' in switch
    assert response.cookies == {}
    english = public_client.get(path)
    assert '<html lang="en"' in english.content.decode()
    assert english["Content-Language"] == "en"
    assert 'href="' in english.content.decode().split('data-testid="language-switch"')[1]
    assert "?lang=cy" in english.content.decode().split('data-testid="language-switch"')[1]


def test_a_question_asked_and_answered_in_welsh(public_client):
    page = public_client.get("/ask/question", {"lang": "cy"}).content.decode()
    assert '<input type="hidden" name="lang" value="cy">' in page
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    empty = public_client.post(
        "/ask/question", {"message": "", "form_token": token, "leave_blank": "", "lang": "cy"}
    )
    assert "Rhowch eich cwestiwn" in empty.content.decode()
    sent = public_client.post(
        "/ask/question",
        {"message": "A fydd fy nghyflogwr yn cael gwybod?", "form_token": token, "lang": "cy"},
    )
    html = sent.content.decode()
    assert _h1(html) == "Mae eich cwestiwn wedi’i anfon"
    reference = shown_reference(html)
    assert 'href="/ask/return?lang=cy"' in html
    from comeforward.enquiries.models import Enquiry

    assert Enquiry.objects.get().notice_version == "2026-01-cy"  # the Welsh words were seen
    thread = public_client.post("/ask/return", {"reference": reference, "lang": "cy"})
    text = thread.content.decode()
    assert _h1(text) == "Eich ymholiad"
    assert "Rydych wedi anfon 1 neges." in text
    assert "Fe ysgrifennoch chi" in text and "A fydd fy nghyflogwr yn cael gwybod?" in text
    wrong = public_client.post("/ask/return", {"reference": "one two", "lang": "cy"})
    assert "Rhowch bob un o 7 gair eich cyfeirnod. Fe roesoch 2." in wrong.content.decode()


def test_every_welsh_entry_is_a_draft_marked_for_review_and_the_mo_is_current():
    spec = importlib.util.spec_from_file_location("i18n", ROOT / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    from babel.messages.pofile import read_po

    catalog = read_po(PO.open("rb"), locale="cy")
    translated = [m for m in catalog if m.id and m.string and any(m.string)]
    assert len(translated) > 100
    assert all(REVIEW in " ".join(m.user_comments) for m in translated)
    assert PO.with_suffix(".mo").read_bytes() == i18n.compiled("cy")
    # An untranslated plural falls back to the English forms, not Welsh form 1 = "days".
    untranslated = [m for m in catalog if m.pluralizable and not any(m.string)]
    assert untranslated
    with translation.override("cy"):
        one, many = untranslated[0].id
        assert translation.ngettext(one, many, 1) == one
    docs = (ROOT / "docs" / "welsh.md").read_text()
    assert "needs review" in docs and "not verified" in docs


def test_staff_strings_are_marked_for_translation(make_user, sign_in):
    from comeforward.roles import Role

    client = sign_in(make_user(Role.SUPERVISOR))
    with translation.override("cy"):
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.user = make_user(Role.SUPERVISOR)
        html = render_to_string("layout.html", {"title": "x"}, request=request)
        from comeforward.frontend.navigation import NAV_ITEMS

        labels = [str(item.label) for item in NAV_ITEMS]
    assert "Allgofnodi" in html and "Wedi mewngofnodi fel" in html
    assert labels[:3] == ["Hafan", "Achosion", "Chwilio"]
    assert "Sign out" in client.get("/").content.decode()  # English unless chosen
