"""No internal jargon on pages (issue 20.5): every page a demo user reaches from their home
page, following links, is scanned for internal document references ("domain-rules §5.2"),
raw enum codes ("NOT_APPLICABLE", "PCA1978_S1"), raw field names ("age_at_offence") and
Django's stock messages ("This field is required.") in the text a person reads (tags,
attributes, scripts and styles are not text; nor is a ``<code>`` element: a file name, a
stable error code or an audit record type shown on purpose as an identifier).

The crawl also submits every form it finds (issue 20.9/20.5): once empty and once with
invalid answers (text that is not a date or a number, a choice that is not offered), and
scans what comes back (the error summary, a refusal, or the page it leads to). A form with
nothing to fill in (an action button: mark done, sign out, accept) is not submitted, since an
"empty" submission of it is the action itself."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from comeforward.audit.access import remember_reason
from comeforward.cases.models import Case
from comeforward.demo.data import demo_email, load_demo_data
from comeforward.roles import Role

pytestmark = pytest.mark.django_db

#: What a person should never read on a page.
JARGON = {
    "internal document reference": re.compile(
        r"domain-rules|users-and-security|ARCHITECTURE|INTERFACES|\b\w+\.md\b|§\s?\d"
    ),
    "raw code": re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"),
    "raw field name": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "raw Django message": re.compile(
        r"This field is required|Select a valid choice|is not one of the available choices|"
        r"Enter a valid (?:date|email|value)|Enter a whole number|Ensure this value|"
        r"Ensure that there are no more"
    ),
}
#: Values a person might type that no field accepts as they are.
INVALID = {"text": "not a valid answer 31/02", "number": "-1x", "choice": "not-an-option"}
#: Form actions never submitted: they end the session or change who is signed in.
NO_SUBMIT = re.compile(r"/sign-out|/logout|/language$|/account/mfa")
#: Pages per role followed from the home page (breadth first).
PAGES_PER_ROLE = 200
SKIP = re.compile(
    r"^/(static|accounts/sign-out|accounts/logout|media)/|\.(pdf|json|csv)$|/download"
)


class _Text(HTMLParser):
    """The text a person reads, the links on the page and its forms."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template", "code"):
            self._skip += 1
        if tag == "a":
            href = attributes.get("href") or ""
            self.links.append(href)
        if tag == "form":
            self.forms.append(
                {
                    "action": attributes.get("action") or "",
                    "method": (attributes.get("method") or "get").lower(),
                    "hidden": {},
                    "fields": {},  # name -> kind: text, number, choice
                }
            )
        if self.forms and tag in ("input", "select", "textarea"):
            name = attributes.get("name")
            kind = (attributes.get("type") or "text").lower() if tag == "input" else tag
            if not name or kind in ("submit", "button", "image", "reset"):
                return
            form = self.forms[-1]
            if kind == "hidden":
                form["hidden"][name] = attributes.get("value") or ""
            elif kind in ("radio", "checkbox", "select"):
                form["fields"][name] = "choice"
            elif kind == "number" or attributes.get("inputmode") == "numeric":
                form["fields"][name] = "number"
            elif kind != "file":
                form["fields"][name] = "text"

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(" ".join(data.split()))


def _scan(path, response, found) -> _Text | None:
    if response.status_code not in (200, 400, 403, 404, 409, 422):
        return None
    if "text/html" not in response.get("Content-Type", ""):
        return None
    parser = _Text()
    parser.feed(response.content.decode())
    for line in parser.text:
        for kind, pattern in JARGON.items():
            for match in pattern.finditer(line):
                found.append((path, kind, match.group(0), line[:160]))
    return parser


def _submit_forms(client, page, forms, submitted, found) -> int:
    """Submit each new form of ``page`` empty and with invalid answers; scan the results."""
    count = 0
    for form in forms:
        action = urldefrag(form["action"] or page)[0]
        if not action.startswith("/") or NO_SUBMIT.search(action) or SKIP.search(action):
            continue
        key = (form["method"], action, tuple(sorted(form["fields"])))
        if key in submitted or not form["fields"]:
            continue
        submitted.add(key)
        for filled in (False, True):
            data = dict(form["hidden"])
            for name, kind in form["fields"].items():
                data[name] = INVALID[kind] if filled else ""
            label = f"{form['method'].upper()} {action} ({'invalid' if filled else 'empty'})"
            if form["method"] == "post":
                response = client.post(action, data, follow=True)
            else:
                response = client.get(action, data, follow=True)
            _scan(label, response, found)
            count += 1
    return count


def _crawl(client, start="/"):
    seen, queue, found, submitted = set(), deque([start]), [], set()
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        parser = _scan(path, response, found)
        if parser is None:
            continue
        _submit_forms(client, path, parser.forms, submitted, found)
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen, found, submitted


@pytest.mark.parametrize(
    "role",
    [
        Role.INTAKE_OFFICER,
        Role.INVESTIGATOR,
        Role.FORENSIC_EXAMINER,
        Role.INDEPENDENT_ASSESSOR,
        Role.TREATMENT_PROVIDER,
        Role.OFFENDER_MANAGER,
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
    ],
)
def test_pages_of_the_demo_world_speak_plain_words(role, sign_in):
    from comeforward.accounts.models import User

    load_demo_data()
    user = User.objects.get(email=demo_email(role))
    client = sign_in(user)
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    for case_id in Case.objects.values_list("pk", flat=True):
        remember_reason(request, "case", case_id, "Checking the pages")
    session.save()
    seen, found, submitted = _crawl(client)
    assert len(seen) > 3
    assert found == []
    if role in (Role.INTAKE_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR):
        assert submitted  # the crawl reached forms and submitted them


def test_the_form_crawl_submits_forms_and_finds_what_comes_back():
    """The crawl's form step can fail: a form is submitted empty and with invalid answers, and
    a stock Django message or a raw code in the page that comes back is found."""
    from django.http import HttpResponse

    calls = []

    class _Client:
        def post(self, path, data, follow):
            calls.append((path, dict(data)))
            return HttpResponse("<p>This field is required.</p><p>NOT_APPLICABLE</p>")

    page = (
        '<form method="post" action="/cases/1/decide"><input type="hidden" name="csrf" '
        'value="t"><input name="when"><input type="radio" name="outcome" value="a">'
        '<button>Save</button></form><form method="post" action="/cases/1/done">'
        '<button>Mark done</button></form><form method="post" action="/account/sign-out">'
        '<input name="x"></form>'
    )
    parser = _Text()
    parser.feed(page)
    found: list = []
    assert _submit_forms(_Client(), "/cases/1/", parser.forms, set(), found) == 2
    assert calls == [
        ("/cases/1/decide", {"csrf": "t", "when": "", "outcome": ""}),
        ("/cases/1/decide", {"csrf": "t", "when": INVALID["text"], "outcome": INVALID["choice"]}),
    ]
    assert {(kind, text) for _, kind, text, _ in found} == {
        ("raw Django message", "This field is required"),
        ("raw code", "NOT_APPLICABLE"),
    }
