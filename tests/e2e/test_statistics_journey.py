"""Statistics journey (issue 14.7): a supervisor follows the menu's Statistics link, has the
figures calculated, reads the dashboard (charts with a table and a sentence beside each) and a
theme page; an analyst reaches the pseudonymised extract. Every page is axe-checked."""

from __future__ import annotations

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as


def test_supervisor_reads_the_dashboard(page):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    page.wait_for_url("**/")
    page.get_by_role("link", name="Statistics", exact=True).first.click()
    page.wait_for_url("**/statistics/")
    assert_accessible(page)
    button = page.get_by_role("button", name="Recalculate the figures now")
    button.click()
    page.wait_for_url("**/statistics/")
    assert "Figures as of" in page.get_by_test_id("figures-as-of").inner_text()
    funnel = page.get_by_test_id("table-funnel_quarter")
    assert funnel.get_by_role("img").count() == 1  # the chart, named by its <title>
    assert funnel.get_by_role("table").count() == 1
    assert page.get_by_test_id("summary-funnel_quarter").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Time, backlog and workload").click()
    page.wait_for_url("**/statistics/time")
    assert page.get_by_test_id("table-backlog").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cost and police time").click()
    page.wait_for_url("**/statistics/costs")
    assert "assumed unit costs" in page.content()
    assert_accessible(page)


def test_analyst_reaches_the_extract(page):
    sign_in_as(page, demo_email(Role.ANALYST))
    page.wait_for_url("**/")
    page.get_by_role("link", name="Statistics", exact=True).first.click()
    page.wait_for_url("**/statistics/")
    assert_accessible(page)
    page.goto(page.url + "extract")
    assert page.get_by_label("What is the extract for?").is_visible()
    assert_accessible(page)
