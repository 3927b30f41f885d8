"""Evidence journey: safeguarding screen → devices received → exhibit → forensic examiner
imports a generated triage report (a tampered listing first, refused) → counts on the case page.
Every page visited is axe-checked."""

from __future__ import annotations

import re

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from ..exhibits.triage_files import triage_output
from .conftest import assert_accessible, server_signature, sign_in_as


def _open_case(page, name: str, reason: str) -> str:
    page.goto(f"/cases/search?q={name}")
    assert_accessible(page)
    # Other journeys may open more cases for the same demo person: take the demo case.
    demo_case = page.get_by_role("link", name=re.compile(r"^CF-\d{4}-000001$"))
    page.get_by_role("row", name=re.compile(name)).filter(has=demo_case).get_by_role("link").click()
    page.wait_for_url("**/audit/reason**")
    assert_accessible(page)
    page.get_by_label(reason).check()
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    return page.url


def _move_to(page, label: str) -> None:
    page.get_by_role("button", name=f"Move to: {label}").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-stage").inner_text() == label
    assert_accessible(page)


def test_screen_exhibit_and_triage_result(page, tmp_path):
    sign_in_as(page, demo_email(Role.INTAKE_OFFICER))
    page.wait_for_url("**/")
    case_url = _open_case(page, "Alex Example", "I am working on this case")

    page.get_by_role("link", name="Record the safeguarding screen").click()
    assert_accessible(page)
    for question in (
        "Are there children in the household?",
        "Does the person work or volunteer with children?",
        "Is any child at immediate risk?",
        "Is there a risk of suicide or self-harm?",
    ):
        page.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the screen").click()
    page.wait_for_url(case_url)
    assert page.get_by_test_id("referral-required").inner_text() == "Not required"
    assert_accessible(page)

    _move_to(page, "Safeguarding screen")
    _move_to(page, "Devices received")

    page.get_by_role("link", name="Record an exhibit").click()
    assert_accessible(page)
    page.get_by_label("Exhibit reference").fill("IE/1")
    page.get_by_role("group", name="Type of device").get_by_label("Laptop").check()
    page.get_by_label("Description").fill("Black laptop (journey test)")
    page.get_by_label("Seal number").fill("E2E-SEAL-1")
    page.get_by_label("Storage location").fill("Property store")
    page.get_by_role("button", name="Record the exhibit").click()
    page.wait_for_url(case_url)
    assert page.get_by_text("Exhibit IE/1 recorded").is_visible()
    assert_accessible(page)
    _move_to(page, "Forensic review")

    page.context.clear_cookies()
    sign_in_as(page, demo_email(Role.FORENSIC_EXAMINER))
    page.wait_for_url("**/")
    _open_case(page, "Alex Example", "Forensic examination")
    page.get_by_role("link", name="Import the triage result for IE/1").click()
    assert_accessible(page)

    report, listing = triage_output(exhibit="IE/1")
    (tmp_path / "report.json").write_bytes(report)
    (tmp_path / "report.json.sig").write_bytes(server_signature(report))
    (tmp_path / "files.jsonl").write_bytes(listing)
    (tmp_path / "tampered.jsonl").write_bytes(listing.replace(b'"A"', b'"C"'))

    # Unsigned: refused (issue 11.4).
    page.get_by_label("report.json", exact=True).set_input_files(tmp_path / "report.json")
    page.get_by_label("files.jsonl", exact=True).set_input_files(tmp_path / "files.jsonl")
    page.get_by_role("button", name="Import the result").click()
    assert page.get_by_test_id("error-code").inner_text() == "Error code: REPORT_UNSIGNED"
    assert_accessible(page)

    page.get_by_label("report.json", exact=True).set_input_files(tmp_path / "report.json")
    page.get_by_label("report.json.sig", exact=True).set_input_files(tmp_path / "report.json.sig")
    page.get_by_label("files.jsonl", exact=True).set_input_files(tmp_path / "tampered.jsonl")
    page.get_by_role("button", name="Import the result").click()
    assert page.get_by_test_id("error-code").inner_text() == "Error code: REPORT_SEAL_MISMATCH"
    assert_accessible(page)

    page.get_by_label("report.json", exact=True).set_input_files(tmp_path / "report.json")
    page.get_by_label("report.json.sig", exact=True).set_input_files(tmp_path / "report.json.sig")
    page.get_by_label("files.jsonl", exact=True).set_input_files(tmp_path / "files.jsonl")
    page.get_by_role("button", name="Import the result").click()
    page.wait_for_url(case_url)
    counts = {
        key: page.get_by_test_id(f"count-{key}").inner_text()
        for key in ("A", "B", "C", "UNCATEGORISED", "unmatched", "errors")
    }
    assert counts == {
        "A": "1",
        "B": "1",
        "C": "2",
        "UNCATEGORISED": "1",
        "unmatched": "3",
        "errors": "1",
    }
    assert len(page.get_by_test_id("report-sha256").inner_text()) == 64
    assert_accessible(page)
