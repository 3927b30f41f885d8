"""The three journeys of the scheme in a real browser, each on one case it opens itself, each
step done by the role that does it in real life, in its own browser context (ARCHITECTURE.md
§1 roles, §4 workflow; domain-rules §4.7–4.8):

(a) self-referral → caution → treatment completed → closed with outcome code 3;
(b) refused (excluded by an eligibility criterion) → prosecution file → closed with code 1;
(c) cautioned → referred to treatment → sessions missed → breach review → confirmed →
    referred for prosecution.

Every page visited is axe-checked, and each journey ends with ``comeforward audit verify`` on
the server's database. People's names are unique to each journey so that other tests' data
never collides with them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import expect

from comeforward.demo.data import SECOND_SUPERVISOR_EMAIL, demo_email
from comeforward.roles import Role
from comeforward.web.jinja2 import uk_date

from ..exhibits.triage_files import triage_output
from .conftest import assert_accessible, run_cli, server_signature, sign_in_as

TODAY = dt.date.today()
H1 = {"role": "heading", "level": 1}

#: The reason each role gives for opening the record (audit.access.ACCESS_REASONS).
REASONS = {
    Role.INTAKE_OFFICER: "I am working on this case",
    Role.INVESTIGATOR: "I am working on this case",
    Role.FORENSIC_EXAMINER: "Forensic examination",
    Role.SUPERVISOR: "Supervisory review or decision",
    Role.INDEPENDENT_ASSESSOR: "Independent assessment or treatment",
    Role.TREATMENT_PROVIDER: "Independent assessment or treatment",
}


class Desk:
    """One person at their own browser: signed in once, opens the journey's case."""

    def __init__(self, page, role: str, email: str) -> None:
        self.page, self.role = page, role
        sign_in_as(page, email)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        assert_accessible(page)

    def open_case(self, reference: str) -> None:
        page = self.page
        page.goto(f"/cases/search?q={reference}")
        assert_accessible(page)
        page.get_by_role("link", name=reference, exact=True).click()
        expect(page.get_by_role(**H1)).to_have_text(
            re.compile(f"^\\s*({re.escape(reference)}|Why are you opening this record\\?)\\s*$")
        )
        if page.get_by_role(**H1).inner_text().strip() != reference:
            assert_accessible(page)
            page.get_by_label(REASONS[self.role]).check()
            page.get_by_role("button", name="Open the record").click()
        self.expect_case(reference)

    def expect_case(self, reference: str) -> None:
        expect(self.page.get_by_role(**H1)).to_have_text(reference)
        assert_accessible(self.page)

    def stage(self) -> str:
        return self.page.get_by_test_id("case-stage").inner_text()

    def move_to(self, label: str, reference: str) -> None:
        self.page.get_by_role("button", name=f"Move to: {label}").click()
        expect(self.page.get_by_test_id("case-stage")).to_have_text(label)
        self.expect_case(reference)

    def follow(self, link: str, heading: str) -> None:
        self.page.get_by_role("link", name=link).click()
        expect(self.page.get_by_role(**H1)).to_have_text(heading)
        assert_accessible(self.page)

    def submit(self, button: str, reference: str) -> None:
        """Submit a form that returns to the case page on success."""
        self.page.get_by_role("button", name=button).click()
        self.expect_case(reference)

    def radio(self, group: str, option: str) -> None:
        self.page.get_by_role("group", name=group).get_by_label(option, exact=True).check()


@contextmanager
def desks(browser, base_url: str) -> Iterator:
    """``desk(role, email=None)`` → a Desk in a fresh browser context; all closed at the end."""
    contexts = []

    def desk(role: str, email: str | None = None) -> Desk:
        context = browser.new_context(base_url=base_url)
        contexts.append(context)
        return Desk(context.new_page(), role, email or demo_email(role))

    try:
        yield desk
    finally:
        for context in contexts:
            context.close()


# ---- the steps, each by the role that does it ---------------------------------------------


def intake(officer: Desk, given: str, family: str, dob: str) -> str:
    """The intake officer records the self-referral; returns the new case's reference."""
    page = officer.page
    page.goto("/")
    officer.follow("Record a referral", "Record a self-referral")
    page.get_by_label("Given names").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Date of birth").fill(dob)
    page.get_by_label("Self-referral").check()
    page.get_by_role("button", name="Continue").click()
    # A name unique to the journey: no duplicate warning, straight to the reason for access.
    expect(page.get_by_role(**H1)).to_have_text("Why are you opening this record?")
    assert_accessible(page)
    page.get_by_label(REASONS[Role.INTAKE_OFFICER]).check()
    page.get_by_role("button", name="Open the record").click()
    # The optional equality questions come next (issue 14.5); this journey skips them.
    page.wait_for_url("**/statistics/equality?from=intake")
    page.get_by_test_id("skip").click()
    expect(page.get_by_role(**H1)).to_have_text(re.compile(r"^CF-\d{4}-\d{6}$"))
    assert_accessible(page)
    assert officer.stage() == "Referred"
    return page.get_by_role(**H1).inner_text()


def screen_and_receive_devices(officer: Desk, reference: str, exhibit: str) -> None:
    page = officer.page
    officer.follow("Record the safeguarding screen", "Safeguarding screen")
    for question in (
        "Are there children in the household?",
        "Does the person work or volunteer with children?",
        "Is any child at immediate risk?",
        "Is there a risk of suicide or self-harm?",
    ):
        officer.radio(question, "No")
    officer.submit("Record the screen", reference)
    assert page.get_by_test_id("referral-required").inner_text() == "Not required"
    officer.move_to("Safeguarding screen", reference)
    officer.move_to("Devices received", reference)
    officer.follow("Record an exhibit", "Record an exhibit")
    page.get_by_label("Exhibit reference").fill(exhibit)
    officer.radio("Type of device", "Laptop")
    page.get_by_label("Description").fill("Laptop handed in at the front desk (journey test)")
    page.get_by_label("Seal number").fill(f"SEAL-{exhibit}")
    page.get_by_label("Storage location").fill("Property store")
    officer.submit("Record the exhibit", reference)
    expect(page.get_by_text(f"Exhibit {exhibit} recorded")).to_be_visible()
    officer.move_to("Forensic review", reference)


def allocate_team(supervisor: Desk, reference: str, *names: str) -> None:
    """The supervisor allocates the investigator and the examiner (cases.views.case_team)."""
    page = supervisor.page
    supervisor.open_case(reference)
    supervisor.follow("Case team: who works on this case", "Case team")
    for name in names:
        page.get_by_label(re.compile(re.escape(name))).check()
        page.get_by_role("button", name="Add to the case team").click()
        expect(page.get_by_text(f"{name} added to the case team")).to_be_visible()
        assert_accessible(page)
    team = page.get_by_test_id("case-team").inner_text()
    assert all(name in team for name in names), team
    page.get_by_role("link", name="Back to the case").click()
    supervisor.expect_case(reference)


def import_triage(examiner: Desk, reference: str, exhibit: str, tmp_path) -> None:
    page = examiner.page
    examiner.open_case(reference)
    page.get_by_role("link", name=f"Import the triage result for {exhibit}").click()
    expect(page.get_by_role(**H1)).to_have_text(f"Import a triage result: {exhibit}")
    assert_accessible(page)
    report, listing = triage_output(exhibit=exhibit)
    (tmp_path / "report.json").write_bytes(report)
    (tmp_path / "report.json.sig").write_bytes(server_signature(report))
    (tmp_path / "files.jsonl").write_bytes(listing)
    page.get_by_label("report.json", exact=True).set_input_files(tmp_path / "report.json")
    page.get_by_label("report.json.sig", exact=True).set_input_files(tmp_path / "report.json.sig")
    page.get_by_label("files.jsonl", exact=True).set_input_files(tmp_path / "files.jsonl")
    examiner.submit("Import the result", reference)
    assert page.get_by_test_id("count-A").inner_text() == "1"


def interview(investigator: Desk, reference: str) -> None:
    page = investigator.page
    investigator.open_case(reference)
    investigator.move_to("Interview", reference)
    investigator.follow("Record the interview", "Record the interview under caution")
    page.get_by_label("Date of the interview").fill(TODAY.isoformat())
    page.get_by_role("group", name="Officers present").get_by_label("Ivan Investigator").check()
    investigator.radio("Admission", "Full admission")
    page.get_by_label("Making or taking an indecent photograph of a child (PCA 1978 s.1)").check()
    investigator.radio("Was the interview recorded (audio or video)?", "Yes")
    page.get_by_label("Recording reference").fill(f"AV-{reference}")
    investigator.radio("Was a legal adviser present?", "Yes")
    page.get_by_label("What the person admitted (summary)").fill("Fictional full admission.")
    investigator.submit("Record the interview", reference)
    investigator.move_to("Independent assessment", reference)


def refer_for_assessment(supervisor: Desk, reference: str) -> None:
    supervisor.open_case(reference)
    supervisor.follow("Refer for independent assessment", "Refer for independent assessment")
    supervisor.radio("Assessment service", "Example Assessment Service (demo)")
    supervisor.submit("Refer", reference)


def assess(assessor: Desk, reference: str, *, suitable: bool) -> None:
    page = assessor.page
    assessor.open_case(reference)
    assessor.follow("Declare any conflict of interest", "Declare any conflict of interest")
    assessor.radio("Do you have a conflict of interest in this case?", "No")
    assessor.submit("Record my declaration", reference)
    assessor.follow("Complete the assessment", "Independent assessment")
    assessor.radio("Overall risk (structured professional judgement)", "Low")
    page.get_by_label("Structured professional judgement: formulation and reasons").fill(
        "Fictional formulation for the journey test."
    )
    assessor.radio(
        "Recommendation", "Suitable for diversion" if suitable else "Not suitable for diversion"
    )
    assessor.radio(
        "Treatment pathway",
        "Psycho-educational group programme (e.g. Inform Plus)"
        if suitable
        else "No treatment pathway",
    )
    page.get_by_label("Clinical narrative (seen by police only if you share it)").fill(
        "Fictional clinical narrative."
    )
    assessor.submit("Complete the assessment", reference)


def evaluate_and_decide(
    supervisor: Desk, reference: str, *, outcome: str, reason: str, answers: dict[str, int]
) -> None:
    page = supervisor.page
    supervisor.open_case(reference)
    supervisor.move_to("Decision", reference)
    supervisor.follow("Evaluate the eligibility policy", "Evaluate the eligibility policy")
    for field, position in answers.items():
        page.locator(f"#id_{field}-{position}").check()
    supervisor.submit("Evaluate the policy", reference)
    supervisor.follow("Record the decision", "Record the decision")
    supervisor.radio("Decision", outcome)
    supervisor.radio("Main reason", reason)
    page.get_by_label("Reasons in full").fill(f"{reason} (journey test).")
    supervisor.submit("Record the decision", reference)


def approve(second: Desk, reference: str) -> None:
    second.open_case(reference)
    second.follow("Review the decision for approval", "Approve the decision")
    second.radio("Do you approve this decision?", "Approve")
    second.submit("Record my approval", reference)
    assert "final" in second.page.get_by_test_id("decision-status").inner_text()


def caution(investigator: Desk, reference: str) -> None:
    page = investigator.page
    investigator.open_case(reference)
    investigator.follow("Record the caution", "Record the caution")
    investigator.radio("Type of caution", "Conditional caution (CJA 2003 Part 3)")
    page.get_by_label("Making or taking an indecent photograph of a child (PCA 1978 s.1)").check()
    page.get_by_label("Date of the offence (or the last date of it)").fill("2025-06-01")
    page.get_by_label("Age of the youngest person depicted (years)").fill("14")
    page.get_by_label("Date of the caution").fill(TODAY.isoformat())
    page.locator("#id_condition_1_kind").select_option("attend_treatment")
    page.get_by_label("Condition 1: what the person must do").fill("Attend the programme")
    page.get_by_label("Condition 1: deadline").fill((TODAY + dt.timedelta(days=180)).isoformat())
    # CJA 2003 s.23: the officer confirms evidence, explanation and consent; a scanned
    # signed document's reference (the admission and decision come from the case).
    page.get_by_label("There is sufficient evidence to charge").check()
    page.get_by_label("I explained the effect of the caution").check()
    page.get_by_label("The person consents to the caution").check()
    investigator.radio("The signed document", "Signed on paper: the scanned document's reference")
    page.get_by_label("Reference of the scanned signed document").fill("SCAN-DEMO-1")
    investigator.submit("Record the caution", reference)
    assert investigator.stage() == "Cautioned"


def refer_for_treatment(investigator: Desk, reference: str, sessions: int) -> None:
    page = investigator.page
    investigator.follow("Refer for treatment", "Refer for treatment")
    investigator.radio("Treatment provider", "Example Treatment Provider (demo)")
    page.get_by_label("Programme").fill("Psycho-educational group programme")
    page.get_by_label("Expected sessions").fill(str(sessions))
    investigator.submit("Refer", reference)
    assert investigator.stage() == "In treatment"


def record_session(provider: Desk, reference: str, attendance: str, days_ago: int) -> None:
    page = provider.page
    provider.follow("Record a session", "Record a session")
    page.get_by_label("Date of the session").fill((TODAY - dt.timedelta(days=days_ago)).isoformat())
    provider.radio("Attendance", attendance)
    if attendance == "Missed":
        page.get_by_label("Reason the session was missed").fill("None given")
    provider.submit("Record session", reference)


def send_prosecution_file(investigator: Desk, reference: str, reasons: str) -> None:
    page = investigator.page
    investigator.open_case(reference)
    investigator.follow("Record the prosecution file", "Record the prosecution file")
    page.get_by_label("Possession of an indecent photograph of a child (CJA 1988 s.160)").check()
    page.get_by_label("Summary of the evidence").fill("Fictional evidence summary.")
    page.get_by_label("Reasons for prosecution").fill(reasons)
    page.get_by_label("Date sent to the CPS").fill(TODAY.isoformat())
    investigator.submit("Record the file sent to the CPS", reference)
    expect(page.get_by_text(f"Sent to the CPS on {uk_date(TODAY)}")).to_be_visible()


def record_charge(officer: Desk, reference: str) -> None:
    """The CPS charged: outcome 1 needs it on record first (issue 20.2)."""
    officer.follow("Record the CPS result", "Record the CPS result")
    officer.radio("Result", "Charged")
    officer.page.get_by_label("Date of the result").fill(TODAY.isoformat())
    officer.submit("Record the result", reference)


def record_outcome_code(officer: Desk, reference: str, code: str) -> None:
    officer.follow("Record the Home Office outcome code", "Record the Home Office outcome code")
    officer.radio("Home Office outcome code", code)
    officer.submit("Record the outcome code", reference)
    assert officer.page.get_by_test_id("outcome-code").inner_text() == code


def assert_audit_chain_intact() -> None:
    result = run_cli("audit", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True


def open_to_assessment(desk, tmp_path, *, given: str, family: str, dob: str):
    """Intake (the person hands in a laptop with the self-referral) → the supervisor allocates
    the investigator and the examiner → triage → interview → referred for assessment.
    Returns (reference, supervisor, investigator)."""
    exhibit = f"{family[:2].upper()}/1"
    officer = desk(Role.INTAKE_OFFICER)
    reference = intake(officer, given, family, dob)
    screen_and_receive_devices(officer, reference, exhibit=exhibit)
    supervisor = desk(Role.SUPERVISOR)
    allocate_team(supervisor, reference, "Ivan Investigator", "Freya Forensic")
    import_triage(desk(Role.FORENSIC_EXAMINER), reference, exhibit, tmp_path)
    investigator = desk(Role.INVESTIGATOR)
    interview(investigator, reference)
    refer_for_assessment(supervisor, reference)
    return reference, supervisor, investigator


# ---- the journeys -------------------------------------------------------------------------


def test_self_referral_to_caution_with_treatment_completed(browser, live_server_url, tmp_path):
    with desks(browser, live_server_url) as desk:
        reference, supervisor, investigator = open_to_assessment(
            desk, tmp_path, given="Avery", family="Completer", dob="2/2/1980"
        )
        assess(desk(Role.INDEPENDENT_ASSESSOR), reference, suitable=True)
        evaluate_and_decide(
            supervisor,
            reference,
            outcome="Divert: caution with conditions",
            reason="Meets the scheme's eligibility criteria",
            answers={},
        )
        assert (
            "awaiting a second supervisor"
            in supervisor.page.get_by_test_id("decision-status").inner_text()
        )
        approve(desk(Role.SUPERVISOR, SECOND_SUPERVISOR_EMAIL), reference)
        caution(investigator, reference)
        refer_for_treatment(investigator, reference, sessions=2)

        provider = desk(Role.TREATMENT_PROVIDER)
        provider.open_case(reference)
        record_session(provider, reference, "Attended", days_ago=14)
        record_session(provider, reference, "Attended", days_ago=7)
        sessions = provider.page.get_by_test_id("treatment-sessions").inner_text()
        assert sessions == "2 attended, 0 missed, 0 cancelled"
        provider.follow("Record completion or non-completion", "Record the outcome of treatment")
        provider.radio("Outcome", "Completed")
        provider.submit("Record outcome", reference)
        assert provider.stage() == "Treatment completed"

        investigator.open_case(reference)
        assert investigator.stage() == "Treatment completed"
        record_outcome_code(
            investigator,
            reference,
            "3 – Caution – adults (simple or conditional)",
        )
        investigator.move_to("Closed", reference)
    assert_audit_chain_intact()


def test_refused_and_referred_for_prosecution(browser, live_server_url, tmp_path):
    with desks(browser, live_server_url) as desk:
        reference, supervisor, investigator = open_to_assessment(
            desk, tmp_path, given="Blake", family="Refused", dob="3/3/1981"
        )
        assess(desk(Role.INDEPENDENT_ASSESSOR), reference, suitable=False)
        evaluate_and_decide(
            supervisor,
            reference,
            outcome="Refer for prosecution",
            reason="Excluded by an eligibility criterion",
            answers={"production_or_distribution": 2},  # "Yes": excluded by E5
        )
        assert "final" in supervisor.page.get_by_test_id("decision-status").inner_text()

        send_prosecution_file(investigator, reference, "Excluded by E5 (journey test).")
        assert investigator.stage() == "Referred for prosecution"
        record_charge(investigator, reference)
        record_outcome_code(investigator, reference, "1 – Charged or summonsed")
        investigator.move_to("Closed", reference)
    assert_audit_chain_intact()


def test_breach_of_the_caution_referred_for_prosecution(browser, live_server_url, tmp_path):
    with desks(browser, live_server_url) as desk:
        reference, supervisor, investigator = open_to_assessment(
            desk, tmp_path, given="Cameron", family="Breacher", dob="4/4/1982"
        )
        assess(desk(Role.INDEPENDENT_ASSESSOR), reference, suitable=True)
        evaluate_and_decide(
            supervisor,
            reference,
            outcome="Divert: caution with conditions",
            reason="Meets the scheme's eligibility criteria",
            answers={},
        )
        approve(desk(Role.SUPERVISOR, SECOND_SUPERVISOR_EMAIL), reference)
        caution(investigator, reference)
        refer_for_treatment(investigator, reference, sessions=6)

        provider = desk(Role.TREATMENT_PROVIDER)
        provider.open_case(reference)
        record_session(provider, reference, "Attended", days_ago=21)
        record_session(provider, reference, "Missed", days_ago=14)
        assert provider.stage() == "In treatment"
        record_session(provider, reference, "Missed", days_ago=7)
        # The second missed session opens a breach review by itself (treatment.services).
        assert provider.stage() == "Breach review"

        supervisor.open_case(reference)
        assert supervisor.stage() == "Breach review"
        review = supervisor.page.get_by_test_id("breach-review")
        assert "Missed treatment sessions" in review.inner_text()
        supervisor.follow("Decide this breach review", "Decide the breach review")
        supervisor.radio("Decision", "Confirm the breach")
        supervisor.page.get_by_label("Reason for the decision").fill(
            "Two sessions missed without reason (journey test)."
        )
        supervisor.submit("Record decision", reference)
        assert supervisor.stage() == "Referred for prosecution"

        # The original offence goes to the CPS (CJA 2003 s.24(1)): the file is recorded on
        # the case (decisions.panel offers it once a confirmed breach has referred the case).
        send_prosecution_file(investigator, reference, "Conditional caution breached.")
        assert investigator.stage() == "Referred for prosecution"
    assert_audit_chain_intact()
