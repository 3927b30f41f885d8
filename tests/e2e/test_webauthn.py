"""A supervisor adds a security key and signs in with it, in Chromium with a virtual key.

Chromium's virtual authenticator (DevTools protocol ``WebAuthn`` domain) plays the key: CTAP2,
internal transport, no resident key, user verification. WebAuthn needs a secure context and
an RP ID that is a domain, so this test browses to ``http://localhost:PORT`` (localhost is
"potentially trustworthy") rather than 127.0.0.1. Every page visited is checked with axe.
"""

from __future__ import annotations

import time

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, demo_totp_code

PASSWORD = "demo-password-not-secret"


def _password_step(page, email: str) -> None:
    page.goto("/account/sign-in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/mfa/")
    assert_accessible(page)


def _code_step(page, email: str, target: str) -> None:
    """Enter the TOTP code; if this time step's code was already used (by another test
    signing in as the same demo user), wait for the next step — codes are single use."""
    for attempt in range(2):
        page.get_by_label("Security code").fill(demo_totp_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        if page.url == target:
            return
        assert attempt == 0, "the TOTP code was refused twice"
        time.sleep(30 - time.time() % 30 + 1)
    page.wait_for_url(target)


def test_supervisor_adds_a_security_key_and_signs_in_with_it(browser, live_server_url):
    base = live_server_url.replace("127.0.0.1", "localhost")
    home = f"{base}/"
    context = browser.new_context(base_url=base)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator_id = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]
    email = demo_email(Role.SUPERVISOR)
    try:
        # 1. Sign in with password and TOTP code, then add a key.
        _password_step(page, email)
        _code_step(page, email, home)
        page.goto("/account/security-keys")
        assert page.get_by_role("heading", level=1).inner_text() == "Security keys"
        assert_accessible(page)
        page.get_by_label("Name for this security key").fill("Virtual key")
        page.get_by_role("button", name="Add security key").click()
        page.get_by_text("Your security key ‘Virtual key’ is added").wait_for()
        assert page.locator("[data-testid=security-keys] td").first.inner_text() == "Virtual key"
        assert_accessible(page)
        credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
        assert [c["rpId"] for c in credentials["credentials"]] == ["localhost"]

        # 2. Sign out, and sign in again with the key instead of the code.
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/account/sign-in")
        _password_step(page, email)
        page.get_by_role("button", name="Use your security key").click()
        page.wait_for_url(home)
        assert page.get_by_role("heading", level=1).inner_text() == "Decisions and approvals"
        assert_accessible(page)
        credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
        assert credentials["credentials"][0]["signCount"] >= 1

        # 3. Remove the key again (the shared demo user is left as other tests expect). This
        #    session was verified with it, so the code is asked for before going back.
        page.goto("/account/security-keys")
        assert "Not used yet" not in page.locator("[data-testid=security-keys]").inner_text()
        page.get_by_role("button", name="Remove Virtual key").click()
        page.wait_for_url("**/account/mfa/")
        assert page.get_by_text("Your security key ‘Virtual key’ is removed").is_visible()
        assert page.get_by_role("button", name="Use your security key").count() == 0
        assert_accessible(page)
        _code_step(page, email, f"{base}/account/security-keys")
        assert page.get_by_text("You have not added a security key.").is_visible()
        assert_accessible(page)
    finally:
        context.close()
