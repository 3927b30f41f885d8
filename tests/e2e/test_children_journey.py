"""Children journey (issue 12.3): an officer records a child the person babysits from the
safeguarding panel; the case page lists the child and says the re-screen is due. Every page
visited is axe-checked."""

from __future__ import annotations

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as
from .test_evidence_journey import _open_case


def test_record_a_child_and_the_rescreen_is_due(page):
    sign_in_as(page, demo_email(Role.INVESTIGATOR))
    page.wait_for_url("**/")
    case_url = _open_case(page, "Alex Example", "I am working on this case")
    page.get_by_role("link", name="Record a child").click()
    assert_accessible(page)
    page.get_by_role("group", name="Child's age").get_by_label("5 to 10").check()
    page.get_by_role("group", name="Relationship to the person").get_by_label(
        "Child of a friend or neighbour"
    ).check()
    page.get_by_role("group", name="Kind of access").get_by_label(
        "Babysitting or caring for the child"
    ).check()
    page.get_by_role(
        "group", name="Is the access always supervised by another adult?"
    ).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the child").click()
    page.wait_for_url(case_url)
    assert page.get_by_test_id("rescreen-due").is_visible()
    children = page.get_by_test_id("children").inner_text()
    assert "Babysitting or caring for the child" in children and "5 to 10" in children
    assert_accessible(page)
