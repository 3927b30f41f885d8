"""Enquiry frictions (issue 20.6): the person reads their own earlier messages; a prepared
question pasted and sent at once is accepted (the bot defences stay); Stop It Now on every
public page; public 404 and 500 pages in the public style."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from comeforward.enquiries import services
from comeforward.enquiries.models import EnquiryMessage

from .conftest import ask, form_token, thread_token

pytestmark = pytest.mark.django_db
STOP_IT_NOW = "https://www.stopitnow.org.uk/"


def test_the_person_sees_their_own_messages_and_the_replies_in_order(
    public_client, make_user, police_force
):
    reference = ask(public_client, "First: would my employer be told?")
    html = public_client.post("/ask/return", {"reference": reference}).content.decode()
    assert "You wrote" in html and "First: would my employer be told?" in html
    follow = public_client.post(
        "/ask/return/message",
        {
            "message": "Second: and my family?",
            "thread_token": thread_token(html),
            "leave_blank": "",
        },
    )
    assert follow.status_code == 200
    enquiry = EnquiryMessage.objects.first().enquiry
    services.enquiry_reply(
        actor=make_user("intake_officer"), enquiry=enquiry, message="No, we would not tell them."
    )
    html = public_client.post("/ask/return", {"reference": reference}).content.decode()
    order = [
        html.index("First: would my employer be told?"),
        html.index("Second: and my family?"),
        html.index("No, we would not tell them."),
    ]
    assert order == sorted(order)
    assert html.count('data-testid="own-message"') == 2
    assert html.count('data-testid="reply"') == 1
    assert "unshown" not in html


def test_messages_sent_before_they_were_sealed_for_the_person_are_counted_not_shown(
    public_client,
):
    reference = ask(public_client, "An old question")
    EnquiryMessage.objects.update(sealed_for_enquirer="")  # as before issue 20.6
    html = public_client.post("/ask/return", {"reference": reference}).content.decode()
    assert "An old question" not in html
    assert "1 earlier message you sent cannot be shown here" in html


def test_another_reference_cannot_read_the_messages(public_client):
    mine = ask(public_client, "Mine only")
    other = ask(public_client, "Someone elses question")
    html = public_client.post("/ask/return", {"reference": other}).content.decode()
    assert "Someone elses question" in html and "Mine only" not in html
    assert "Mine only" in public_client.post("/ask/return", {"reference": mine}).content.decode()


def test_a_prepared_question_pasted_at_once_is_accepted_by_default(public_client, settings):
    del settings.ENQUIRY_MIN_FORM_SECONDS  # the default, not the test settings' value
    token = form_token(public_client)
    response = public_client.post(
        "/ask/question",
        {"message": "Prepared elsewhere and pasted", "form_token": token, "leave_blank": ""},
    )
    assert response.status_code == 200
    assert "too quickly" not in response.content.decode()
    # The bot defences stay: the honeypot and the single-use token still refuse.
    again = public_client.post(
        "/ask/question",
        {"message": "Prepared elsewhere and pasted", "form_token": token, "leave_blank": ""},
    )
    assert again.status_code == 400
    trap = public_client.post(
        "/ask/question",
        {"message": "Bot", "form_token": form_token(public_client), "leave_blank": "filled"},
    )
    assert trap.status_code == 400


@pytest.mark.parametrize("path", ["/ask/", "/ask/question", "/ask/return", "/ask/no-such-page"])
def test_stop_it_now_is_linked_on_every_public_page(public_client, path):
    html = public_client.get(path).content.decode()
    assert f'href="{STOP_IT_NOW}"' in html
    assert "0808 1000 900" in html


def test_public_404_is_in_the_public_style(public_client):
    response = public_client.get("/ask/no-such-page")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found – Ask a question anonymously" in html
    assert 'href="/ask/"' in html
    assert "Sign out" not in html and "protective" not in html.lower()
    assert response.cookies == {}


def test_public_500_is_in_the_public_style_and_sets_no_cookie(monkeypatch):
    from comeforward.enquiries import views_public

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(views_public.abuse, "lookup_form_context", broken)
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=False):
        response = client.get("/ask/return")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service – Ask a question anonymously" in html
    assert f'href="{STOP_IT_NOW}"' in html
    assert re.search(r"<main[^>]*>", html)
    assert response.cookies == {}
    staff = client.get("/no-such-staff-page-" + "x")
    assert staff.status_code in (302, 404)
