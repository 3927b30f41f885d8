"""Equality monitoring and follow-up from the case page (issue 14.3 and 14.5): a supervisor
records a person's equality-monitoring answers and a follow-up check on the case page's
"Equality monitoring and follow-up" section, has the figures recalculated and finds the answer
counted on the equality statistics page. axe-core on every page visited.

The demo force has six cases, so every published cell is "fewer than 5" (disclosure control,
docs/statistics.md): the page shows the category's row, and the count itself is read from the
refreshed snapshot (what the page is drawn from) in the server's database."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from . import conftest
from .conftest import assert_accessible, sign_in_as
from .test_decision_journey import open_case

BLACK = "Black, Black British, Black Welsh, Caribbean or African"

SNAPSHOT = """
import json
from comeforward.statistics.models import FiguresSnapshot
snap = FiguresSnapshot.objects.order_by("-computed_at", "-pk").filter(
    organisation__code="northshire-police").first()
print(json.dumps(snap.data["raw"]["equality_ethnicity"]))
"""


def _ethnicity_counts() -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "django", "shell", "-c", SNAPSHOT],
        env=conftest._SERVER_ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_supervisor_records_equality_and_follow_up_then_sees_it_counted(page):
    sign_in_as(page, demo_email(Role.SUPERVISOR))
    open_case(page, "Testperson")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Equality monitoring and follow-up")
    )
    expect(section.get_by_test_id("equality-status")).to_have_text("Not recorded.")

    section.get_by_role("link", name="Record equality monitoring").click()
    page.wait_for_url("**/statistics/equality")
    assert_accessible(page)
    assert "Age band at referral (from the date of birth): 35–44" in page.content()
    page.get_by_role("group", name="What is their sex?").get_by_label("Male", exact=True).check()
    page.get_by_role("group", name="What is their ethnic group?").get_by_label(BLACK).check()
    page.get_by_role("group", name="Are they disabled?").get_by_label("Prefer not to say").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    answers = section.get_by_test_id("equality-values")
    expect(answers).to_contain_text(BLACK)
    expect(answers).to_contain_text("Prefer not to say")

    section.get_by_role("link", name="Record a follow-up check").click()
    page.wait_for_url("**/statistics/follow-up")
    assert_accessible(page)
    page.get_by_label("PNC check: nothing new").check()
    page.get_by_label("Date of the event").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Record").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    expect(section.get_by_test_id("follow-up-events")).to_contain_text("PNC check: nothing new")

    page.goto("/statistics/")
    page.get_by_role("button", name="Recalculate the figures now").click()
    page.wait_for_url("**/statistics/")
    page.goto("/statistics/equality")
    assert_accessible(page)
    table = page.get_by_test_id("table-equality_ethnicity")
    expect(table.get_by_role("table")).to_contain_text(BLACK)
    counted = _ethnicity_counts()
    assert sum(counted[BLACK].values()) == 1
