"""The public pages: notice first, reference once, return with the reference, abuse checks
(users-and-security §3.2 req. 1, 2, 3, 4, 7, 11)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.utils import timezone

from comeforward.enquiries import abuse, selectors, services
from comeforward.enquiries.models import Enquiry, EnquiryMessage
from comeforward.enquiries.notice import NOTICE_VERSION

from .conftest import ask, form_token, shown_reference, thread_token

pytestmark = pytest.mark.django_db
PUBLIC_PATHS = ["/ask/", "/ask/question", "/ask/return"]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_need_no_sign_in_set_no_cookie_and_load_nothing_from_elsewhere(
    public_client, path
):
    response = public_client.get(path)
    assert response.status_code == 200
    assert response.cookies == {}  # no session, no CSRF cookie: nothing links two visits
    html = response.content.decode()
    # Nothing is loaded from elsewhere; the one link out is the Stop It Now helpline, which a
    # person follows by choice (issue 20.6) and which gets no referrer.
    outside = re.findall(r'<(\w+)[^>]*\b(?:src|href|action)="((?:https?:)?//[^"]*)"', html)
    assert outside == [("a", "https://www.stopitnow.org.uk/")]
    assert 'rel="noreferrer noopener"' in html
    assert re.findall(r"<script[^>]*\bsrc=", html) == []  # no JavaScript is loaded at all
    assert 'type="file"' not in html and "multipart" not in html  # no uploads (req. 7)


@pytest.mark.parametrize("path", [*PUBLIC_PATHS, "/ask/no-such-page"])
def test_public_page_headers(public_client, path):
    response = public_client.get(path)
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "form-action 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http" not in csp  # no third-party hosts allowed


def test_unknown_public_path_is_404_without_cookie(public_client):
    response = public_client.get("/ask/no-such-page")
    assert response.status_code == 404
    assert response.cookies == {}


def test_start_page_explains_the_scheme_and_notice(public_client):
    html = public_client.get("/ask/").content.decode()
    for heading in (
        "What the scheme is",
        "Who it is for",
        "What happens if you come forward",
        "What the scheme does not promise",
        "when we may need to find out who you are",
    ):
        assert heading in html
    assert "child is at risk of harm" in html
    assert "180 days" in html


def test_notice_is_shown_before_the_form_with_its_version(public_client):
    html = public_client.get("/ask/question").content.decode()
    assert html.index("child is at risk of harm") < html.index("<form")
    assert f"Notice version {NOTICE_VERSION}" in html


def test_first_question_shows_the_reference_once_and_stores_only_hashes(public_client):
    reference = ask(public_client, "Does a caution mean a criminal record?")
    assert len(reference.split()) == 7
    enquiry = Enquiry.objects.get()
    assert enquiry.notice_version == NOTICE_VERSION
    assert enquiry.opened_on == enquiry.last_activity_on == timezone.localdate()
    assert enquiry.awaiting_reply is True
    assert enquiry.reference_verifier.startswith("scrypt$10$8$1$")
    assert re.fullmatch(r"[0-9a-f]{64}", enquiry.lookup_key)
    # No column anywhere holds the reference or the message in plain text (req. 12).
    dump = _database_text()
    assert reference not in dump
    assert "".join(reference.split()) not in dump
    assert "criminal record" not in dump
    # Returning never shows the reference again.
    html = public_client.post("/ask/return", {"reference": reference}).content.decode()
    assert reference not in html


def test_reference_works_with_stray_spaces_and_capitals(public_client):
    reference = ask(public_client)
    messy = (
        "  "
        + "   ".join(w.upper() if i % 2 else w.title() for i, w in enumerate(reference.split()))
        + " \n"
    )
    response = public_client.post("/ask/return", {"reference": messy})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your enquiry" in html and "You have sent 1 message." in html
    assert "There are no replies yet" in html


def test_wrong_reference_is_not_found(public_client):
    reference = ask(public_client)
    words = reference.split()
    other = next(w for w in ("falcon", "ribbon", "spoon") if w != words[-1])
    response = public_client.post("/ask/return", {"reference": " ".join([*words[:-1], other])})
    assert response.status_code == 400
    assert "We could not find an enquiry with that reference." in response.content.decode()


def test_malformed_reference_says_what_is_wrong(public_client):
    response = public_client.post("/ask/return", {"reference": "falcon ribbon"})
    assert response.status_code == 400
    assert "Enter all 7 words of your reference. You entered 2." in response.content.decode()


def test_replies_are_shown_to_the_holder_only(public_client, opened, make_user):
    mine, theirs = opened("Mine"), opened("Theirs")
    officer = make_user("intake_officer")
    services.enquiry_reply(actor=officer, enquiry=mine.enquiry, message="Reply for you\nline two")
    html = public_client.post("/ask/return", {"reference": mine.reference}).content.decode()
    assert "Reply for you<br>line two" in html
    html = public_client.post("/ask/return", {"reference": theirs.reference}).content.decode()
    assert "Reply for you" not in html and "There are no replies yet" in html


def test_follow_up_message_overwrites_last_activity_date(public_client, opened):
    first = opened()
    Enquiry.objects.filter(pk=first.enquiry.pk).update(
        last_activity_on=dt.date(2025, 1, 2), awaiting_reply=False
    )
    html = public_client.post("/ask/return", {"reference": first.reference}).content.decode()
    response = public_client.post(
        "/ask/return/message",
        {"message": "One more thing", "thread_token": thread_token(html), "leave_blank": ""},
    )
    assert response.status_code == 200
    assert "Message sent" in response.content.decode()
    enquiry = Enquiry.objects.get(pk=first.enquiry.pk)
    assert enquiry.last_activity_on == timezone.localdate()
    assert enquiry.awaiting_reply is True
    assert EnquiryMessage.objects.filter(enquiry=enquiry).count() == 2


def test_follow_up_with_forged_thread_token_is_refused(public_client, opened):
    opened()
    response = public_client.post(
        "/ask/return/message", {"message": "x", "thread_token": "1:forged", "leave_blank": ""}
    )
    assert response.status_code == 400
    assert "This page has expired" in response.content.decode()
    assert EnquiryMessage.objects.count() == 1


def test_honeypot_filled_is_refused(public_client):
    response = public_client.post(
        "/ask/question",
        {"message": "spam", "form_token": form_token(public_client), "leave_blank": "http://x"},
    )
    assert response.status_code == 400
    assert "Leave the last field empty" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_form_token_is_single_use(public_client):
    token = form_token(public_client)
    data = {"message": "Question", "form_token": token, "leave_blank": ""}
    assert public_client.post("/ask/question", data).status_code == 200
    again = public_client.post("/ask/question", data)
    assert again.status_code == 400
    assert "This message has already been sent." in again.content.decode()
    assert Enquiry.objects.count() == 1


def test_form_sent_too_quickly_is_refused(public_client, settings):
    settings.ENQUIRY_MIN_FORM_SECONDS = 30
    response = public_client.post(
        "/ask/question",
        {"message": "Question", "form_token": form_token(public_client), "leave_blank": ""},
    )
    assert response.status_code == 400
    assert "This was sent too quickly" in response.content.decode()
    assert Enquiry.objects.count() == 0
    # The same check passes once the token is old enough.
    old = abuse.form_token_issue(notice_version=NOTICE_VERSION, now=time.time() - 31)
    assert abuse.form_token_read(old).notice_version == NOTICE_VERSION


@pytest.mark.parametrize("token", ["", "garbage", "eyJ2IjoiMjAyNi0wMSJ9:forged:sig"])
def test_forged_or_missing_form_token_is_refused(public_client, token):
    response = public_client.post(
        "/ask/question", {"message": "Question", "form_token": token, "leave_blank": ""}
    )
    assert response.status_code == 400
    assert Enquiry.objects.count() == 0


def test_expired_form_token_is_refused(settings):
    from comeforward.enquiries.errors import FormTokenInvalid

    stale = abuse.form_token_issue(notice_version=NOTICE_VERSION, now=time.time() - 7201)
    with pytest.raises(FormTokenInvalid):
        abuse.form_token_read(stale)


def test_rate_limit_per_reference(public_client, opened, settings):
    settings.ENQUIRY_RATE_LIMITS = {"messages_per_reference_per_day": 2}
    limited, other = opened(), opened()
    services.enquiry_message_add(enquiry=limited.enquiry, message="two")
    services.enquiry_message_add(enquiry=limited.enquiry, message="three")
    html = public_client.post("/ask/return", {"reference": limited.reference}).content.decode()
    response = public_client.post(
        "/ask/return/message",
        {"message": "four", "thread_token": thread_token(html), "leave_blank": ""},
    )
    assert response.status_code == 429
    # Another reference is not affected.
    services.enquiry_message_add(enquiry=other.enquiry, message="fine")
    assert selectors.enquiry_messages_sent(limited.enquiry) == 3
    assert selectors.enquiry_messages_sent(other.enquiry) == 2


def test_empty_and_overlong_questions_are_refused(public_client, settings):
    settings.ENQUIRY_MESSAGE_MAX_CHARS = 20
    for message, error in (("   ", "Enter your question"), ("x" * 21, "20 characters or fewer")):
        response = public_client.post(
            "/ask/question",
            {"message": message, "form_token": form_token(public_client), "leave_blank": ""},
        )
        assert response.status_code == 400
        assert error in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_reference_page_is_the_only_place_the_reference_appears(public_client):
    response = public_client.post(
        "/ask/question",
        {"message": "Q", "form_token": form_token(public_client), "leave_blank": ""},
    )
    reference = shown_reference(response.content.decode())
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert response.cookies == {}
    assert reference not in _database_text()


def _database_text() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_public_pages_name_their_own_icon_so_no_favicon_request_leaves_a_cookie(public_client):
    html = public_client.get("/ask/").content.decode()
    assert '<link rel="icon" href="/ask/icon">' in html
    response = public_client.get("/ask/icon")
    assert response.status_code == 204
    assert response.cookies == {}
    assert response["Referrer-Policy"] == "no-referrer"
