"""Fixtures for the enquiry tests. All messages are synthetic."""

from __future__ import annotations

import re
import secrets
import time

import pytest
from django.core.cache import cache
from django.test import Client

from comeforward.enquiries import abuse, services
from comeforward.enquiries.notice import NOTICE_VERSION

#: Distinctive values a test client sends, searched for afterwards (users-and-security §3.2 req. 12).
PROBE_IP = "203.0.113.197"
PROBE_UA = "ProbeBrowser/7.31 (EnquiryLeakCheck; zq9x)"
PROBE_XFF = "198.51.100.233, 192.0.2.91"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _one_force(request):
    """Enquiries go to the one police force of the deployment (``enquiries/force.py``)."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("police_force")


@pytest.fixture
def public_client():
    """A member of the public, with an address, a user agent and a forwarded-for header."""
    return Client(REMOTE_ADDR=PROBE_IP, HTTP_USER_AGENT=PROBE_UA, HTTP_X_FORWARDED_FOR=PROBE_XFF)


def form_token(client) -> str:
    html = client.get("/ask/question").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def thread_token(html: str) -> str:
    return re.search(r'name="thread_token" value="([^"]+)"', html).group(1)


def shown_reference(html: str) -> str:
    return re.search(r'<strong id="reference" class="cf-reference">([a-z ]+)</strong>', html).group(
        1
    )


def ask(client, message: str = "Can I come forward if I live alone?") -> str:
    """Send a first question through the pages; return the reference shown."""
    response = client.post(
        "/ask/question", {"message": message, "form_token": form_token(client), "leave_blank": ""}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return shown_reference(response.content.decode())


@pytest.fixture
def opened(db):
    """``opened(message)`` → OpenedEnquiry made through the service."""

    def make(message: str = "What happens to my devices?"):
        token = abuse.FormToken(NOTICE_VERSION, time.time() - 60, secrets.token_urlsafe(8))
        return services.enquiry_open(message=message, form_token=token)

    return make
