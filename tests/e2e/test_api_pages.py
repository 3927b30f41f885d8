"""The integration API's pages in a real browser (issue 18): an administrator registers an API
client (the token is shown once), sees it listed and revokes it; a supervisor downloads an
export; anyone reads the API reference. Every page is axe-checked."""

from __future__ import annotations

import datetime as dt
import uuid

from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as

H1 = {"role": "heading", "level": 1}


def test_administrator_registers_and_revokes_an_api_client(page):
    name = f"Niche sync {uuid.uuid4().hex[:6]}"
    sign_in_as(page, demo_email(Role.ADMINISTRATOR))
    page.goto("/account/api-clients/")
    assert_accessible(page)
    page.get_by_role("link", name="Register an API client").click()
    page.get_by_role("button", name="Register client").click()  # nothing filled in
    expect(page.get_by_text("Enter the name of the system").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name of the system").fill(name)
    page.get_by_label("What will it use the API for?").fill("Nightly case sync")
    page.get_by_label("Supervisor").check()
    page.get_by_label("cases:read", exact=False).check()
    expiry = dt.date.today() + dt.timedelta(days=90)
    page.get_by_label("Expiry date").fill(expiry.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Register client").click()
    expect(page.get_by_role(**H1)).to_have_text("API client registered")
    expect(page.get_by_test_id("api-token")).to_contain_text("cf_")
    assert_accessible(page)
    page.get_by_role("link", name="Back to API clients").click()
    page.get_by_role("link", name=f"Revoke {name}").click()
    assert_accessible(page)
    page.get_by_label("Why is this client being revoked?").fill("Journey test")
    page.get_by_role("button", name="Revoke client").click()
    expect(page.get_by_text(f"{name} is revoked")).to_be_visible()
    assert_accessible(page)


def test_supervisor_export_page_and_the_api_reference(page):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    page.goto("/exports/")
    expect(page.get_by_role(**H1)).to_have_text("Export a list")
    page.get_by_role("button", name="Download export").click()  # nothing chosen
    expect(page.get_by_text("Select what to export").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Case list").check()
    page.get_by_label("What is the export for?").fill("Weekly performance review")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download export").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.goto("/api/v1/docs")
    expect(page.get_by_role(**H1)).to_have_text("Integration API reference")
    assert_accessible(page)
