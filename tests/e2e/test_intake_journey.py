"""The intake officer records a self-referral: the duplicate check warns about a demo person
with the same name and date of birth, the case opens with its safeguarding task due, and
search finds it; the optional equality questions are offered and skipped. Every page visited is
checked with axe-core."""

from __future__ import annotations

import re

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as


def test_intake_officer_records_a_self_referral(page):
    sign_in_as(page, demo_email(Role.INTAKE_OFFICER))
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Intake"
    assert_accessible(page)

    page.get_by_role("link", name="Record a referral").click()
    page.wait_for_url("**/cases/intake")
    assert_accessible(page)
    page.get_by_label("Given names").fill("Alex")
    page.get_by_label("Family name").fill("Example")
    page.get_by_label("Date of birth").fill("14/3/1984")
    page.get_by_label("Self-referral").check()
    page.get_by_role("button", name="Continue").click()

    warning = page.get_by_test_id("duplicate-warning")
    warning.wait_for()
    assert "This person may already be known" in warning.inner_text()
    assert "Same name and date of birth" in warning.inner_text()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile(r"Alex Example, born 14 March 1984")).check()
    page.get_by_role("button", name="Open the case").click()

    page.wait_for_url("**/audit/reason**")
    assert_accessible(page)
    page.get_by_label("I am working on this case").check()
    page.get_by_role("button", name="Open the record").click()
    # The journey goes on to the optional equality questions (issue 14.5): skippable.
    page.wait_for_url("**/statistics/equality?from=intake")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Equality monitoring questions (optional)"
    )
    assert page.get_by_label("Prefer not to say").first.is_visible()
    assert_accessible(page)
    page.get_by_test_id("skip").click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    reference = page.get_by_role("heading", level=1).inner_text()
    assert re.fullmatch(r"CF-\d{4}-\d{6}", reference)
    task = page.get_by_test_id("task-safeguarding_screen")
    assert "Safeguarding screen" in task.inner_text()
    assert task.locator(".govuk-tag").inner_text() in {"Due", "Due today"}
    assert_accessible(page)

    page.get_by_role("link", name="Person details").click()
    page.wait_for_url("**/person")
    assert page.get_by_role("heading", level=1).inner_text() == "Alex Example"
    assert_accessible(page)
    page.get_by_role("link", name="Add a household member").click()
    page.wait_for_url("**/person/add/household")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Child Example")
    page.get_by_label("Relationship").fill("Son")
    page.get_by_label("This is a child (under 18)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/person")
    assert page.get_by_text("Lives with children").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))

    page.get_by_role("link", name="Search").click()
    page.wait_for_url("**/cases/search")
    assert_accessible(page)
    page.get_by_label("Case reference, name, date of birth or identifier").fill(reference)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/cases/search?q=*")
    assert page.get_by_role("link", name=reference).is_visible()
    assert_accessible(page)

    page.get_by_label("Case reference, name, date of birth or identifier").fill("14/3/1984")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=14*")
    assert page.get_by_role("heading", name="2 results").is_visible()
    assert_accessible(page)
