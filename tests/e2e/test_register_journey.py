"""Register journey: an offender manager opens the register, a registered person's record,
records the initial notification and sees the next periodic date (one year on, s.85(1)).
Every page visited is axe-checked."""

from __future__ import annotations

import datetime as dt
import re

from comeforward.demo.data import demo_email
from comeforward.roles import Role
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


def _open_quinn(page) -> str:
    sign_in_as(page, demo_email(Role.OFFENDER_MANAGER))
    page.wait_for_url("**/")
    page.goto(page.url.rstrip("/") + "/register/")
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("Quinn Registered")).get_by_role("link").click()
    if "/audit/reason" in page.url:
        page.get_by_label("Managing notification requirements").check()
        page.get_by_role("button", name="Open the record").click()
    page.wait_for_url("**/register/*/")
    assert_accessible(page)
    return page.url


def test_offender_manager_records_a_change_a_late_booked_trip_and_custody(page):
    """Issue 13: a change of home address with the new address as a structured particular,
    a trip booked 2 days before departure and notified the same day (the 12-hour rule: in
    time, not late), and a custody period still going on."""
    record_url = _open_quinn(page)
    today = dt.date.today()

    page.get_by_role("link", name="Record a notification").click()
    assert_accessible(page)
    page.get_by_label("Change of name, address or release (s.84)").check()
    page.get_by_label("Date notified").fill(today.isoformat())
    page.get_by_label("Date of the change").fill(today.isoformat())
    page.get_by_label("Home address (s.83(5)(d), (f))").check()
    page.get_by_label("The particular").fill("7 Journey Street, Testtown")
    page.get_by_label("Police station").fill("Northshire Central")
    page.get_by_role("button", name="Record notification").click()
    page.wait_for_url(record_url)
    assert_accessible(page)
    assert "7 Journey Street, Testtown" in page.get_by_test_id("particulars").inner_text()
    assert "Northshire Central" in page.get_by_test_id("notifications").inner_text()

    page.get_by_role("link", name="Record foreign travel").click()
    assert_accessible(page)
    departure = today + dt.timedelta(days=2)
    page.get_by_label("Date of departure").fill(departure.isoformat())
    page.get_by_label("Countries, in order").fill("France")
    page.get_by_label("Date the person knew the details").fill(today.isoformat())
    page.get_by_label("Date notified").fill(today.isoformat())
    page.get_by_role("button", name="Record trip").click()
    page.wait_for_url(record_url)
    assert_accessible(page)
    assert "France" in page.get_by_test_id("trips").inner_text()
    assert (
        "not less than 12 hours before departure"
        in page.get_by_test_id("explanations").inner_text()
    )
    assert page.get_by_test_id("duties").count() == 0  # nothing late or missing

    page.get_by_role(
        "link", name="Record custody, hospital detention or time outside the UK"
    ).click()
    assert_accessible(page)
    page.get_by_label("In custody (remand, sentence or service detention)").check()
    page.get_by_label("Began on").fill(today.isoformat())
    page.get_by_role("button", name="Record period").click()
    page.wait_for_url(record_url)
    assert_accessible(page)
    assert f"{uk_date(today)} to still going on" in page.get_by_test_id("periods").inner_text()
