"""Real-browser tests: Debian Chromium driven by Playwright against a real server process.

A session-scoped server runs the demo set-up (migrations + synthetic data) in a temporary
directory and serves it on a free loopback port; the browser is Debian's ``chromium``
(``executable_path``), never a browser downloaded by Playwright. Every page visited gets an
axe-core (WCAG 2.2 AA) check. Set ``E2E_DATABASE_URL`` to run the server on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.e2e]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


#: The environment the live server runs with (its database), for ``run_cli``.
_SERVER_ENV: dict[str, str] = {}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``python -m comeforward.cli ARGS`` against the live server's database."""
    assert _SERVER_ENV, "run_cli needs the live_server_url fixture"
    return subprocess.run(
        [sys.executable, "-m", "comeforward.cli", *args],
        env=_SERVER_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


def server_signature(report: bytes) -> bytes:
    """``report.json.sig`` by the live server's worker key (made and registered by the demo
    set-up, issue 11.4), as a worker run would write it."""
    from comeforward_triage.signing import load_key, sign_bytes

    assert _SERVER_ENV, "server_signature needs the live_server_url fixture"
    key = Path(_SERVER_ENV["COMEFORWARD_VAR_DIR"]) / "secrets" / "triage-worker-signing.key"
    return sign_bytes(load_key(str(key)), report)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _transfer_keys(var_dir: Path) -> dict[str, str]:
    """A register-transfer key pair for the live server (13.7): it signs with the private key
    and trusts its own public key, so one installation can play both forces of a transfer."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    private, public = var_dir / "register-transfer.key", var_dir / "register-transfer.pub"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    private.chmod(0o600)
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    return {
        "COMEFORWARD_REGISTER_TRANSFER_SIGNING_KEY_FILE": str(private),
        "COMEFORWARD_REGISTER_TRANSFER_TRUSTED_KEY_FILES": str(public),
    }


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make setup` (installs Debian chromium)"
        )
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "comeforward.web.settings.dev",
        "COMEFORWARD_VAR_DIR": str(var_dir),
    }
    env.update(_transfer_keys(var_dir))
    env.pop("DATABASE_URL", None)
    if os.environ.get("E2E_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["E2E_DATABASE_URL"]
    cli = [sys.executable, "-m", "comeforward.cli"]
    _SERVER_ENV.update(env)
    setup = subprocess.run(
        [*cli, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    port = _free_port()
    log = open(var_dir / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [*cli, "serve", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)  # noqa: S310 - loopback only
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("server did not start: " + (var_dir / "server.log").read_text())
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()
    shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server_url):
    context = browser.new_context(base_url=live_server_url, java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core on the current page; fail with the violations if there are any.

    A click on a link returns before the next page has loaded, so axe must not start on a
    document that is still being parsed (it would report the half-built page): wait until the
    document is complete, and start again if a navigation replaces it while axe runs.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("load")
        page.wait_for_function("document.readyState === 'complete' && document.body !== null")
        try:
            page.evaluate(AXE_JS.read_text())
            result = page.evaluate(
                """async () => await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
            )
            break
        except PlaywrightError as error:
            if attempt == 2 or "context was destroyed" not in str(error):
                raise
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"axe violations on {page.url}:\n{json.dumps(violations, indent=1)}"


def demo_totp_code(email: str) -> str:
    from django_otp.oath import TOTP

    from comeforward.demo.data import demo_totp_key

    return f"{TOTP(bytes.fromhex(demo_totp_key(email))).token():06d}"


def sign_in_as(page, email: str, password: str = "demo-password-not-secret") -> None:
    """Sign in through the real pages, password then TOTP, checking each page with axe.

    A TOTP code is accepted once: when another test used this demo user's current code, the
    page refuses it and we wait for the next 30-second step and try again.
    """
    page.goto("/account/sign-in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    for _attempt in range(3):
        page.get_by_label("Security code").fill(demo_totp_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        if "/account/mfa/" not in page.url:
            return
        time.sleep(30.5 - time.time() % 30)  # the code was used already: wait for the next
    raise AssertionError(f"could not pass MFA as {email}")
