"""Work queues in a real browser (issues 20.4, 20.7): the supervisor's home page with the
"awaiting your approval" queue, the cases list with filters, sorting and pages, the case page
with its next steps first, and the offender manager's home page. axe-core on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as


def test_supervisor_home_cases_list_and_case_page(page):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", name="Awaiting your approval")).to_be_visible()
    assert_accessible(page)
    page.goto("/cases/")
    expect(page.get_by_test_id("case-count")).to_contain_text("cases")
    assert_accessible(page)
    page.get_by_label("Stage").select_option("decision")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/cases/?*stage=decision*")
    assert_accessible(page)
    page.goto("/cases/")
    page.locator("[data-testid=case-table] thead a").first.click()
    page.wait_for_url("**sort=reference**")
    expect(page.locator('th[aria-sort="ascending"]')).to_have_count(1)
    assert_accessible(page)
    page.locator("[data-testid=case-table] tbody a").first.click()
    if "/audit/reason" in page.url:
        page.get_by_label("Supervisory review or decision").check()
        page.get_by_role("button", name="Open the record").click()
    page.wait_for_url("**/cases/*/")
    first_section = page.locator("main section").first
    expect(first_section).to_have_attribute("data-testid", "next-steps")
    assert_accessible(page)


def test_offender_manager_home(page):
    sign_in_as(page, demo_email(Role.OFFENDER_MANAGER))
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", name="Initial notifications due")).to_be_visible()
    expect(page.get_by_role("heading", name="New register records")).to_be_visible()
    assert_accessible(page)
