"""Decision journeys in a real browser: divert (two supervisors, caution, PDF) and refusal
(prosecute → referred for prosecution). axe-core on every page visited."""

from __future__ import annotations

from comeforward.demo.data import SECOND_SUPERVISOR_EMAIL, demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, sign_in_as


def open_case(page, name: str) -> None:
    page.wait_for_url("**/")
    page.goto(f"/cases/search?q={name}")
    assert_accessible(page)
    page.locator("table a").first.click()
    if "/audit/reason" in page.url:
        assert_accessible(page)
        page.get_by_label("Supervisory review or decision").check()
        page.get_by_role("button", name="Open the record").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)


def stage(page) -> str:
    return page.get_by_test_id("case-stage").inner_text()


def evaluate_policy(page, **answers: str) -> None:
    page.get_by_role("link", name="Evaluate the eligibility policy").click()
    assert_accessible(page)
    for field, position in answers.items():
        page.locator(f"#id_{field}-{position}").check()
    page.get_by_role("button", name="Evaluate the policy").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)


def test_divert_approved_by_a_second_supervisor_then_caution_and_pdf(page, browser):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    open_case(page, "Fictional")
    assert stage(page) == "Decision"
    evaluate_policy(page)
    page.get_by_role("link", name="Record the decision").click()
    assert_accessible(page)
    page.get_by_label("Divert: caution with conditions").check()
    page.get_by_label("Exceptional circumstances (explain below)").check()
    page.get_by_label("Reasons in full").fill("Low risk; suitable for the scheme (demo).")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    assert "awaiting a second supervisor" in page.get_by_test_id("decision-status").inner_text()

    context = browser.new_context(base_url=page.url.split("/cases/")[0])
    second = context.new_page()
    try:
        sign_in_as(second, SECOND_SUPERVISOR_EMAIL)
        open_case(second, "Fictional")
        second.get_by_role("link", name="Review the decision for approval").click()
        assert_accessible(second)
        second.get_by_label("Approve").check()
        second.get_by_role("button", name="Record my approval").click()
        second.wait_for_url("**/cases/*/")
        assert_accessible(second)
        assert "final" in second.get_by_test_id("decision-status").inner_text()

        second.get_by_role("link", name="Record the caution").click()
        assert_accessible(second)
        second.get_by_label("Conditional caution (CJA 2003 Part 3)").check()
        second.get_by_label(
            "Making or taking an indecent photograph of a child (PCA 1978 s.1)"
        ).check()
        second.get_by_label("Date of the offence (or the last date of it)").fill("2025-06-01")
        second.get_by_label("Age of the youngest person depicted (years)").fill("12")
        second.get_by_label("Date of the caution").fill("2026-03-02")
        second.locator("#id_condition_1_kind").select_option("attend_treatment")
        second.get_by_label("Condition 1: what the person must do").fill("Attend the programme")
        second.get_by_label("Condition 1: deadline").fill("2026-07-20")
        # The s.23 requirements: admission and decision come from the case; the officer
        # confirms the rest and the person signs on screen.
        assert (
            "Full admission in the recorded interview"
            in second.get_by_test_id("s23-admission").inner_text()
        )
        second.get_by_label("There is sufficient evidence to charge").check()
        second.get_by_label("I explained the effect of the caution").check()
        second.get_by_label("The person consents to the caution").check()
        second.get_by_label("Signed in person on screen (electronic signature)").check()
        second.get_by_label("Signed in person: the person types their full name").fill(
            "Morgan Fictional"
        )
        second.get_by_role("button", name="Record the caution").click()
        second.wait_for_url("**/cases/*/")
        assert_accessible(second)
        assert stage(second) == "Cautioned"
        assert (
            "initial notification due by 4 March 2026"
            in second.get_by_test_id("caution").inner_text()
        )
        s23 = second.get_by_test_id("s23-record").inner_text()
        assert "Evidence sufficient to charge" in s23 and "Morgan Fictional" in s23
        assert (
            "prosecution for the original offence"
            in second.get_by_test_id("breach-route").inner_text()
        )

        second.get_by_role("link", name="Generate a document").click()
        assert_accessible(second)
        second.get_by_label("Caution record").check()
        second.get_by_label("For the case file").check()
        second.get_by_role("button", name="Generate the PDF").click()
        second.wait_for_url("**/cases/*/")
        assert_accessible(second)
        assert second.get_by_text("Caution record generated (SHA-256").is_visible()
        assert second.get_by_role("link", name="Caution record (PDF)").is_visible()
    finally:
        context.close()


def test_refusal_decide_prosecute_then_referred_for_prosecution(page):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    open_case(page, "Imaginary")
    evaluate_policy(page, production_or_distribution=2)  # "Yes": excluded by E5
    assert "not met: E5" in page.get_by_test_id("recommendation-outcome").inner_text()
    page.get_by_role("link", name="Record the decision").click()
    assert_accessible(page)
    page.get_by_label("Refer for prosecution").check()
    page.get_by_label("Excluded by an eligibility criterion").check()
    page.get_by_label("Reasons in full").fill("E5: distribution (demo).")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    assert "final" in page.get_by_test_id("decision-status").inner_text()
    page.get_by_role("link", name="Record the prosecution file").click()
    assert_accessible(page)
    page.get_by_label("Possession of an indecent photograph of a child (CJA 1988 s.160)").check()
    page.get_by_label("Summary of the evidence").fill("Fictional demo evidence summary.")
    page.get_by_label("Reasons for prosecution").fill("Excluded by E5 (demo).")
    page.get_by_label("Date sent to the CPS").fill("2026-03-05")
    page.get_by_role("button", name="Record the file sent to the CPS").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    assert stage(page) == "Referred for prosecution"


def test_fast_exit_from_assessment_to_a_criminal_investigation(page):
    """Issue 12.5: a supervisor takes the case out of the scheme with the reason recorded;
    the scheme's tasks close, the case goes to a criminal investigation."""
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    open_case(page, "Placeholder")
    assert stage(page) == "Independent assessment"
    page.get_by_role("link", name="Take the case out of the scheme").click()
    assert_accessible(page)
    page.get_by_label("Criminal investigation (outside the scheme)").check()
    page.get_by_label("Category A images found").check()
    page.get_by_label("Reasons in full").fill("Category A found on re-examination (demo).")
    page.get_by_role("button", name="Record and move the case").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    assert stage(page) == "Criminal investigation (left the scheme)"
    exit_text = page.get_by_test_id("scheme-exit").inner_text()
    assert exit_text.startswith("Category A images found — Criminal investigation")
    assert page.get_by_role("link", name="Record the prosecution file").is_visible()
