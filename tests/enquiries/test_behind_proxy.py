"""/ask under the production settings behind a TLS-terminating proxy (issue 11.2).

The privacy middleware used to strip ``X-Forwarded-Proto`` with the other forwarded headers,
so ``SECURE_PROXY_SSL_HEADER`` never saw ``https`` and ``SECURE_SSL_REDIRECT`` answered every
public page with a redirect to itself, for ever. The scheme header is kept now; the
identifying ones still go (users-and-security §3.2 req. 4).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from comeforward.enquiries import privacy

PROBE = Path(__file__).with_name("production_proxy_probe.py")
PUBLIC = ("/ask/", "/ask/question", "/ask/return")


def production_env(tmp_path) -> dict[str, str]:
    """The environment production settings require, with throw-away values."""
    return {
        "DJANGO_SETTINGS_MODULE": "comeforward.web.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64 + "-production-like-secret-with-enough-entropy-9f8e7d",
        "AUDIT_HMAC_KEY": "ab" * 32,
        "FIELD_ENCRYPTION_KEYS": "rPS6S6Xk9oVXXMYdsJ0OBFW0-QpWkUJ4Syr7NTZwc7Q=",
        "ENQUIRY_PUBLIC_KEY": "b50GZ3gYq83+L1dXKdsgAgG1aQLBfXStBH/5axDoyT8=",
        "ENQUIRY_REFERENCE_PEPPER": "11" * 32,
        "COMEFORWARD_VAR_DIR": str(tmp_path),
        "COMEFORWARD_ALLOWED_HOSTS": "comeforward.police.example",
        "PATH": "/usr/bin:/bin",
    }


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    """Production runs on PostgreSQL only: the probe gets a throw-away database of its own on
    the local server (the one CI and this machine kind run), dropped afterwards."""
    import uuid

    import psycopg

    tmp = tmp_path_factory.mktemp("production")
    name = f"cf_proxy_probe_{uuid.uuid4().hex[:12]}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        env = production_env(tmp) | {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
        result = subprocess.run(
            [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_probe_ran_under_production_settings(observed):
    assert observed["settings"] == "comeforward.web.settings.production"
    assert observed["ssl_redirect"] is True
    assert observed["secure_proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_answer_over_https_behind_the_proxy(observed, path):
    page = observed["pages"][path]
    assert page["status"] == 200, page  # before the fix: 301 to itself, for ever
    assert page["location"] is None
    assert page["hsts"] == "max-age=63072000; includeSubDomains; preload"
    assert page["cookies"] == []


@pytest.mark.parametrize("path", PUBLIC)
def test_plain_http_is_redirected_to_https_once(observed, path):
    plain = observed["plain"][path]
    assert plain["location"] == f"https://comeforward.police.example{path}"
    assert plain["hops"] == [301, 200]


def test_a_question_can_be_sent_behind_the_proxy(observed):
    assert observed["question"] == {"status": 200, "reference_shown": True, "cookies": []}


def test_nothing_identifying_reaches_the_database_or_logs_behind_the_proxy(observed):
    assert observed["enquiries_in_database"] is True
    assert observed["logged_records"] > 0  # the 404 was logged: the search had text to search
    assert observed["leaks"] == {"database": [], "logs": []}


def test_production_shares_one_cache_between_processes(observed):
    """Issue 11.6: single-use tokens and load counters in the database cache, whose table
    ``migrate`` makes (REDIS_URL switches to Redis, docs/adr/0201)."""
    assert observed["cache_backend"] == "django.core.cache.backends.db.DatabaseCache"
    assert observed["cache_table_made_by_migrate"] is True


def test_scrub_keeps_the_scheme_and_drops_addresses_from_forwarded():
    request = RequestFactory().get(
        "/ask/",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="203.0.113.197",
        HTTP_FORWARDED='for="203.0.113.197";proto=https;by=10.0.0.7, for=192.0.2.91;host=a.example',
        HTTP_COOKIE="trackme=c00k1e9probe",
        HTTP_VIA="1.1 proxyq7v",
    )
    assert request.COOKIES == {"trackme": "c00k1e9probe"}  # parsed (cached) before the scrub
    privacy.scrub_request(request)
    assert request.META["HTTP_X_FORWARDED_PROTO"] == "https"
    assert request.META["HTTP_FORWARDED"] == "proto=https"
    assert request.is_secure() is False  # the test settings have no SECURE_PROXY_SSL_HEADER
    assert request.COOKIES == {}
    text = repr(request.META) + repr(dict(request.headers))
    for probe in (
        "203.0.113.197",
        "192.0.2.91",
        "10.0.0.7",
        "a.example",
        "c00k1e9probe",
        "proxyq7v",
    ):
        assert probe not in text


def test_forwarded_with_only_addresses_is_dropped():
    request = RequestFactory().get("/ask/", HTTP_FORWARDED="for=192.0.2.91;by=10.0.0.7")
    privacy.scrub_request(request)
    assert "HTTP_FORWARDED" not in request.META
