"""Security headers on every page (ASVS 3.4, 14.3; ARCHITECTURE.md §5)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_public_page_headers(client):
    response = client.get("/account/sign-in")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9+/=]+'", csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_inline_script_carries_the_nonce(client):
    response = client.get("/account/sign-in")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts, "the layout has scripts"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_no_third_party_assets(client):
    html = client.get("/account/sign-in").content.decode()
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []


def test_authenticated_pages_are_not_stored(make_user, sign_in):
    response = sign_in(make_user()).get("/")
    assert response["Cache-Control"] == "no-store, max-age=0"


def test_protective_marking_banner_is_configurable(make_user, sign_in, settings):
    client = sign_in(make_user())
    assert client.get("/").content.decode().count("OFFICIAL-SENSITIVE") >= 2
    from comeforward.web import jinja2

    settings.PROTECTIVE_MARKING = "OFFICIAL"
    env = jinja2.environment(loader=None)
    assert env.globals["protective_marking"] == "OFFICIAL"


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "comeforward.web.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64 + "-production-like-secret-with-enough-entropy-9f8e7d",
        "AUDIT_HMAC_KEY": "ab" * 32,
        "FIELD_ENCRYPTION_KEYS": "rPS6S6Xk9oVXXMYdsJ0OBFW0-QpWkUJ4Syr7NTZwc7Q=",
        "COMEFORWARD_VAR_DIR": str(tmp_path),
        "COMEFORWARD_ALLOWED_HOSTS": "comeforward.police.example",
        "DATABASE_URL": "postgres://comeforward@db.police.example:5432/comeforward",
        "ENQUIRY_PUBLIC_KEY": "b50GZ3gYq83+L1dXKdsgAgG1aQLBfXStBH/5axDoyT8=",
        "ENQUIRY_REFERENCE_PEPPER": "11" * 32,
        "COMEFORWARD_TRIAGE_SIGNING_KEY_FILE": _worker_key(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "comeforward.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_built_stylesheets_point_at_our_static_assets():
    """GOV.UK/MoJ CSS must not ask for /assets/… (unserved; it would redirect to sign-in)."""
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[2] / "static" / "vendor"
    for css in ("govuk/govuk-frontend.min.css", "moj/moj-frontend.min.css"):
        text = (vendor / css).read_text()
        assert "url(/assets/" not in text
        assert "url(/static/" in text or css.startswith("moj")


def _worker_key(tmp_path) -> str:
    """The triage worker's report signing key production requires (issue 11.4)."""
    from comeforward_triage.signing import generate_key_file

    path = tmp_path / "triage-worker.key"
    generate_key_file(str(path))
    return str(path)
