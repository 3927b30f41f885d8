"""No internal jargon on pages (issue 20.5): every page a demo user reaches from their home
page, following links, is scanned for internal document references ("domain-rules §5.2"),
raw enum codes ("NOT_APPLICABLE", "PCA1978_S1") and raw field names ("age_at_offence") in
the text a person reads (tags, attributes, scripts and styles are not text; nor is a
``<code>`` element: a file name, a stable error code or an audit record type shown on purpose
as an identifier)."""

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
}
#: Pages per role followed from the home page (breadth first).
PAGES_PER_ROLE = 200
SKIP = re.compile(
    r"^/(static|accounts/sign-out|accounts/logout|media)/|\.(pdf|json|csv)$|/download"
)


class _Text(HTMLParser):
    """The text a person reads, and the links on the page."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "code"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(" ".join(data.split()))


def _crawl(client, start="/"):
    seen, queue, found = set(), deque([start]), []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        for line in parser.text:
            for kind, pattern in JARGON.items():
                for match in pattern.finditer(line):
                    found.append((path, kind, match.group(0), line[:160]))
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen, found


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
    seen, found = _crawl(client)
    assert len(seen) > 3
    assert found == []
