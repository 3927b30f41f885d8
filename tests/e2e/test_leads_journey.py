"""Bulk-lead journey (issue 15): a leads-team investigator imports a payment file (a bad file
first: refused with line numbers, nothing imported), links it to the people held, reviews a
lead (checks, corroboration) and proposes a search; a named supervisor authorises it and
opens the investigation case. Every page visited is axe-checked."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from ..leads.samples import csv_bytes, payment_row
from .conftest import assert_accessible, run_cli, sign_in_as


def _reason(page, url_glob: str) -> None:
    page.wait_for_url("**/audit/reason**")
    assert_accessible(page)
    page.get_by_label("I am working on this case").check()
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(url_glob)
    assert_accessible(page)


def test_import_review_corroborate_approve_case(page, browser, live_server_url, tmp_path):
    investigator, supervisor = demo_email(Role.INVESTIGATOR), demo_email(Role.SUPERVISOR)
    for email, kind in ((investigator, "member"), (supervisor, "supervisor")):
        named = run_cli("leads", "team", "add", "--user", email, "--kind", kind)
        assert named.returncode == 0, named.stdout + named.stderr

    sign_in_as(page, investigator)
    page.goto("/leads/import")
    assert_accessible(page)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([payment_row(), payment_row(record_id="T2", merchant="")]))
    page.get_by_label("Bulk file (CSV or JSON Lines)").set_input_files(str(bad))
    page.get_by_label("Payment records").check()
    page.get_by_label("Source (who supplied the file)").fill("Payment processor X (e2e)")
    page.get_by_label("Legal basis for holding it").fill("DPA 2018 s.35; production order 1")
    page.get_by_label("Grading (3×5×2, for example 2CP)").fill("2CP")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("problems")).to_contain_text("Line 3, merchant")
    assert_accessible(page)

    good = tmp_path / "ore.csv"
    good.write_bytes(
        csv_bytes(
            [
                payment_row(cardholder_name="Alex Example", date_of_birth="1984-03-14"),
                payment_row(
                    record_id="T2",
                    cardholder_name="Pat Fraudvictim",
                    card_number="5555555555554444",
                    email="pat@example.test",
                    ip="192.0.2.99",
                    chargeback="yes",
                ),
            ]
        )
    )
    page.get_by_label("Bulk file (CSV or JSON Lines)").set_input_files(str(good))
    page.get_by_label("Payment records").check()
    page.get_by_role("button", name="Import").click()
    _reason(page, "**/leads/batches/*/")
    expect(page.get_by_test_id("watermark")).to_contain_text(investigator)
    expect(page.get_by_role("row", name=re.compile("Pat Fraudvictim"))).to_contain_text(
        "Possible fraud victim"
    )
    page.get_by_role("button", name="Link this batch to people held (Splink)").click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile(r"Linkage run: \d+ proposed links"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Links to review").click()
    assert_accessible(page)

    page.goto("/leads/queue")
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("Alex Example")).get_by_role("link").first.click()
    _reason(page, "**/leads/*/")
    lead_url = page.url
    expect(page.get_by_test_id("urgency")).to_contain_text("High")
    link = page.get_by_role("link", name=re.compile(r"^Link \d+$")).first
    if link.count():
        link.click()
        expect(page.get_by_test_id("waterfall")).to_be_visible()
        assert_accessible(page)
        page.goto(lead_url)
    page.get_by_label("Do checks show access to children?").select_option("no")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_test_id("urgency")).to_contain_text("Low")
    page.get_by_label("Source", exact=True).fill("ISP subscriber check")
    page.get_by_label("Summary").fill("Subscriber of 192.0.2.10 is at the cardholder's address")
    page.get_by_role("button", name="Record the corroboration").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("strength")).to_contain_text("MODERATE")
    page.get_by_label("Why").fill("Paid for an IIOC site; subscriber data corroborates")
    page.get_by_role("button", name="Propose the action").click()
    expect(page.get_by_test_id("lead-state")).to_have_text("Action proposed")
    expect(page.get_by_test_id("blockers")).to_contain_text("Only a supervisor")
    assert_accessible(page)

    context = browser.new_context(base_url=live_server_url)
    boss = context.new_page()
    try:
        sign_in_as(boss, supervisor)
        boss.goto(lead_url)
        _reason(boss, lead_url)
        boss.get_by_label("Approval note").fill("Corroborated by subscriber data")
        boss.get_by_role("button", name="Authorise the action").click()
        expect(boss.get_by_test_id("lead-state")).to_have_text("Action authorised")
        assert_accessible(boss)
        boss.get_by_role("button", name="Open an investigation case").click()
        # the case record asks for the reason for access first (DPA 2018 s.62)
        _reason(boss, re.compile(r"/cases/\d+/$"))
        expect(boss.get_by_role("heading", level=1)).to_contain_text(re.compile(r"CF-\d{4}-\d{6}"))
        assert_accessible(boss)
        boss.goto(lead_url)
        expect(boss.get_by_test_id("lead-state")).to_have_text("Investigation case opened")
        assert_accessible(boss)
    finally:
        context.close()
