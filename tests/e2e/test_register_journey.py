"""Register journey: an offender manager opens the register, a registered person's record,
records the initial notification and sees the next periodic date (one year on, s.85(1)).
Every page visited is axe-checked."""

from __future__ import annotations

import datetime as dt
import re

from comeforward.accounts.roles import Role
from comeforward.demo.data import demo_email
from comeforward.web.jinja2 import uk_date

from .conftest import assert_accessible, sign_in_as


def test_offender_manager_records_the_initial_notification(page):
    sign_in_as(page, demo_email(Role.OFFENDER_MANAGER))
    page.wait_for_url("**/")
    page.get_by_role("link", name="Register").click()
    page.wait_for_url("**/register/")
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("Quinn Registered")).get_by_role("link").click()
    page.wait_for_url("**/audit/reason**")
    assert_accessible(page)
    page.get_by_label("Managing notification requirements").check()
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url("**/register/*/")
    assert_accessible(page)
    record_url = page.url
    assert "Not started" in page.get_by_test_id("next-periodic-due").inner_text()

    page.get_by_role("link", name="Record a notification").click()
    assert_accessible(page)
    page.get_by_label("Initial notification (s.83)").check()
    today = dt.date.today()
    page.get_by_label("Date notified").fill(today.isoformat())
    page.get_by_role("button", name="Record notification").click()
    page.wait_for_url(record_url)
    assert_accessible(page)
    next_due = (
        today.replace(year=today.year + 1)
        if (today.month, today.day) != (2, 29)
        else (dt.date(today.year + 1, 3, 1))
    )
    assert uk_date(next_due) in page.get_by_test_id("next-periodic-due").inner_text()
    assert (
        "periodic notification is due within one year"
        in page.get_by_test_id("explanations").inner_text()
    )
