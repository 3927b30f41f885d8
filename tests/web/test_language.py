"""The staff interface in English or Cymraeg (issue 20.9, docs/welsh.md): a switch in the
page header, the choice kept in a cookie, ``<html lang>`` and ``Content-Language`` right;
the public pages never read the cookie."""

from __future__ import annotations

import pytest

from comeforward.roles import Role
from comeforward.web.language import COOKIE

pytestmark = pytest.mark.django_db


def test_a_staff_user_switches_to_cymraeg_and_back(make_user, sign_in):
    client = sign_in(make_user(Role.SUPERVISOR))
    page = client.get("/")
    assert page.status_code == 200
    assert b'<html lang="en-GB"' in page.content
    assert b'<button type="submit" name="language" value="cy"' in page.content  # the switch
    assert page["Content-Language"] == "en-GB"
    assert b"Sign out" in page.content

    chosen = client.post("/language", {"language": "cy", "next": "/cases/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/cases/"
    assert chosen.cookies[COOKIE].value == "cy" and chosen.cookies[COOKIE]["httponly"]
    welsh = client.get("/")
    assert b'<html lang="cy"' in welsh.content
    assert welsh["Content-Language"] == "cy"
    assert b"Allgofnodi" in welsh.content and b"Sign out" not in welsh.content
    assert b'value="en"' in welsh.content and b'aria-current="true" lang="cy"' in welsh.content

    client.post("/language", {"language": "en", "next": "/"})
    assert b'<html lang="en-GB"' in client.get("/").content


def test_the_switch_refuses_what_it_does_not_know(client):
    refused = client.post("/language", {"language": "fr"})
    assert refused.status_code == 400 and b"LANGUAGE_NOT_AVAILABLE" in refused.content
    assert COOKIE not in refused.cookies
    assert client.get("/language").status_code == 405
    # Only a path on this site: anything else goes home.
    away = client.post("/language", {"language": "cy", "next": "https://example.org/"})
    assert away["Location"] == "/"
    away = client.post("/language", {"language": "cy", "next": "//example.org/x"})
    assert away["Location"] == "/"


def test_the_sign_in_page_follows_the_choice(client):
    client.cookies[COOKIE] = "cy"
    page = client.get("/account/sign-in")
    assert b'<html lang="cy"' in page.content


def test_public_pages_ignore_the_staff_cookie(client):
    client.cookies[COOKIE] = "cy"
    page = client.get("/ask/")
    assert page.status_code == 200
    assert b'<html lang="en"' in page.content or b'<html lang="en-GB"' in page.content
