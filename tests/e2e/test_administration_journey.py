"""The administrator's journey in a real browser (issue 20.7, 11.7): add an account to their
own force, change its role, reset its second factor, deactivate and reactivate it, then find
those changes in the audit trail filtered by user. Every page is axe-checked."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as

H1 = {"role": "heading", "level": 1}


def test_administrator_manages_an_account_of_their_own_force(page):
    email = f"new-officer-{uuid.uuid4().hex[:8]}@demo.example"
    sign_in_as(page, demo_email(Role.ADMINISTRATOR))
    page.goto("/account/users/")
    assert_accessible(page)
    page.get_by_role("link", name="Add an account").click()
    expect(page.get_by_role(**H1)).to_contain_text("Add an account to")
    page.get_by_role("button", name="Add account").click()  # nothing filled in
    expect(page.get_by_text("Enter their full name").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia New-Officer")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Intake officer").check()
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role(**H1)).to_have_text("Account added")
    expect(page.get_by_test_id("one-time-password")).not_to_be_empty()
    assert_accessible(page)

    page.goto("/account/users/")
    page.get_by_role("link", name="Nia New-Officer", exact=True).click()
    expect(page.get_by_role(**H1)).to_have_text("Nia New-Officer")
    assert_accessible(page)
    page.get_by_label("Investigator").check()
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_text("Nia New-Officer is now Investigator")).to_be_visible()

    page.get_by_role("link", name="Nia New-Officer", exact=True).click()
    page.get_by_role("link", name="Reset their second factor").click()
    assert_accessible(page)
    page.get_by_label("Why is the second factor being reset?").fill("Lost phone")
    page.get_by_role("button", name="Reset second factor").click()
    expect(page.get_by_text("second factor is removed")).to_be_visible()

    page.get_by_role("link", name="Deactivate Nia New-Officer").click()
    assert_accessible(page)
    page.get_by_label("Why is this account being deactivated?").fill("Secondment")
    page.get_by_role("button", name="Deactivate account").click()
    page.get_by_role("link", name="Reactivate Nia New-Officer").click()
    assert_accessible(page)
    page.get_by_label("Why is this account being reactivated?").fill("Back from secondment")
    page.get_by_role("button", name="Reactivate account").click()
    expect(page.get_by_text("account is active again")).to_be_visible()
    assert_accessible(page)

    page.goto("/audit/trail")
    page.get_by_label("User's email address").fill(demo_email(Role.ADMINISTRATOR))
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Back from secondment")).to_be_visible()
    expect(page.get_by_role("cell", name="Lost phone")).to_be_visible()
    assert_accessible(page)


def test_supervisor_sees_partner_access_and_the_end_access_page(page):
    """The case team page lists the partner organisations with access, each with "End access";
    that page asks for the reason (not submitted: other journeys use this demo case)."""
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    page.goto("/cases/search?q=Placeholder")
    page.locator("table a").first.click()
    if page.get_by_role(**H1).inner_text().strip() == "Why are you opening this record?":
        page.get_by_label("Supervisory review or decision").check()
        page.get_by_role("button", name="Open the record").click()
    case_path = page.url.split("/cases/")[1].split("/")[0]
    page.goto(f"/cases/{case_path}/team")
    expect(page.get_by_role(**H1)).to_have_text("Case team")
    expect(page.get_by_test_id("partner-access")).to_contain_text("Example Assessment Service")
    assert_accessible(page)
    page.get_by_role("link", name="End access for Example Assessment Service (demo)").click()
    expect(page.get_by_role(**H1)).to_contain_text("access")
    page.get_by_role("button", name="End access").click()  # no reason given
    expect(page.get_by_text("Enter why the access is being ended").first).to_be_visible()
    assert_accessible(page)


def test_administrator_adds_a_team_and_moves_an_officer_into_it(page):
    """Teams (issue 14.2, 20.7): added and changed from the users page, each page axe-checked."""
    team = f"Online CSAM team {uuid.uuid4().hex[:6]}"
    sign_in_as(page, demo_email(Role.ADMINISTRATOR))
    page.goto("/account/users/")
    page.get_by_role("link", name="Teams", exact=True).click()
    expect(page.get_by_role(**H1)).to_have_text("Teams")
    page.get_by_role("button", name="Add team").click()  # nothing filled in
    expect(page.get_by_text("Enter the team's name").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Team name").fill(team)
    page.get_by_role("button", name="Add team").click()
    expect(page.get_by_role("cell", name=team)).to_be_visible()
    assert_accessible(page)
    page.goto("/account/users/")
    page.get_by_role("link", name="Change the team of").first.click()
    expect(page.get_by_role(**H1)).to_contain_text("Team of")
    assert_accessible(page)
    page.get_by_label(team).check()
    page.get_by_role("button", name="Change team").click()
    expect(page.get_by_text("team is changed")).to_be_visible()
    expect(page.get_by_role("cell", name=team).first).to_be_visible()
