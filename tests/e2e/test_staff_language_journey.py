"""A staff user switches the interface to Cymraeg and back (issue 20.9, docs/welsh.md): the
switch is in the page header, the page's ``lang`` follows, the marked text is Welsh, and the
pages stay accessible (axe-core)."""

from __future__ import annotations

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as


def test_staff_user_switches_to_cymraeg_and_back(page):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    switch = page.get_by_role("navigation", name="Language")
    switch.get_by_role("button", name="Cymraeg").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("button", name="Allgofnodi").is_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Iaith").get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.get_by_role("button", name="Sign out").is_visible()
