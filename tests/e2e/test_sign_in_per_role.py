"""One journey per role: sign in with password and TOTP, land on that role's home page."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as

HOME_HEADINGS = {
    Role.INTAKE_OFFICER: "Intake",
    Role.INVESTIGATOR: "Your cases",
    Role.FORENSIC_EXAMINER: "Forensic examinations",
    Role.INDEPENDENT_ASSESSOR: "Assessments",
    Role.TREATMENT_PROVIDER: "Treatment",
    Role.OFFENDER_MANAGER: "Notification requirements",
    Role.SUPERVISOR: "Decisions and approvals",
    Role.ANALYST: "Statistics",
    Role.ADMINISTRATOR: "Administration",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS), ids=str)
def test_role_signs_in_with_mfa_and_lands_on_its_home_page(page, role):
    sign_in_as(page, demo_email(role))
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[role])
    assert urlparse(page.url).path == "/"
    expect(page.locator(".cf-protective-marking").first).to_have_text("OFFICIAL-SENSITIVE")
    assert_accessible(page)


def test_password_without_code_reaches_nothing(page):
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(demo_email(Role.INVESTIGATOR))
    page.get_by_label("Password").fill("demo-password-not-secret")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/mfa/")
    page.goto("/cases/")
    assert page.url.endswith("/account/mfa/")


def test_opening_a_case_asks_for_a_reason_once(page):
    sign_in_as(page, demo_email(Role.INVESTIGATOR))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cases")
    page.get_by_role("link", name="Cases").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    assert_accessible(page)
    page.locator("table tbody a").first.click()  # the headings are sort links (issue 20.7)
    page.wait_for_url("**/audit/reason**")
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()  # nothing chosen
    expect(page.get_by_role("link", name="Select why you are opening this record")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I am working on this case").check()
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^CF-\d{4}-\d{6}$"))
    case_url = page.url
    assert_accessible(page)
    page.goto("/")
    page.goto(case_url)  # remembered for the rest of the session
    assert page.url == case_url


def test_the_accessibility_check_catches_violations(page):
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
