"""Issue 13.5 browser journey: the end of a 2-year notification period. A person cautioned
just over two years ago (a simple caution, adult: 2 years, SOA 2003 s.82) is under the
requirements; the daily sweep runs; the offender manager finds the record ended on its last
day (no more reminders) and produces the letter to the person. Every page is axe-checked."""

from __future__ import annotations

import datetime as dt
import json

from comeforward.demo.data import demo_email
from comeforward.roles import Role
from comeforward.web.jinja2 import uk_date

from .conftest import assert_accessible, run_cli, sign_in_as

#: Made through the services (as a caution recorded two years ago would have), in the live
#: server's database; prints the record's id and last day.
SETUP = """
import datetime as dt, json
from django.contrib.auth import get_user_model
from comeforward.cases.domain.states import CaseState
from comeforward.cases.services import case_demo_set_state, case_open, case_team_add
from comeforward.people.services import person_create
from comeforward.register.services import register_open_for_caution

manager = get_user_model().objects.get(email=%(email)r)
person = person_create(actor=manager, given_names="Pat", family_name="Periodended",
                       date_of_birth=dt.date(1979, 4, 2))
case = case_open(actor=manager, person=person, owning_organisation=manager.organisation)
case_team_add(actor=None, case=case, user=manager)
case_demo_set_state(case=case, state=CaseState.CAUTIONED)
caution = dt.date.fromisoformat(%(caution)r)
record = register_open_for_caution(actor=manager, case=case, caution_date=caution,
    offence="CJA1988_S160", offence_date=caution - dt.timedelta(days=90),
    offender_dob=person.date_of_birth, youngest_depicted_age=13)
print(json.dumps({"record": record.pk, "last_day": record.last_day.isoformat()}))
"""


def test_a_two_year_period_ends_on_its_last_day_and_the_letter_is_produced(page):
    today = dt.date.today()
    caution = today - dt.timedelta(days=2 * 366 + 10)
    made = run_cli(
        "shell",
        "-c",
        SETUP % {"email": demo_email(Role.OFFENDER_MANAGER), "caution": caution.isoformat()},
    )
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout.strip().splitlines()[-1])
    last_day = dt.date.fromisoformat(created["last_day"])
    assert last_day < today  # 2 years beginning with the caution date (s.82(1), §1.3)

    swept = run_cli("register_sweep", "--now")
    assert swept.returncode == 0, swept.stdout + swept.stderr
    assert json.loads(swept.stdout)["records_ended"] >= 1

    sign_in_as(page, demo_email(Role.OFFENDER_MANAGER))
    page.wait_for_url("**/")
    page.goto(f"/register/{created['record']}/")
    if "/audit/reason" in page.url:
        assert_accessible(page)
        page.get_by_label("Managing notification requirements").check()
        page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"**/register/{created['record']}/")
    assert_accessible(page)
    ended = page.get_by_test_id("ended-on").inner_text()
    assert uk_date(last_day) in ended and "No more reminders" in ended
    assert "Transfer the record to another force" not in page.content()

    page.get_by_role("link", name="Generate the letter to the person").click()
    page.wait_for_url("**/documents/**")
    assert_accessible(page)
    page.get_by_label("To give to the person (their copy)").check()
    page.get_by_role("button", name="Generate the PDF").click()
    page.wait_for_url("**/cases/*/")
    assert_accessible(page)
    assert page.get_by_text("Letter: your notification requirements have ended generated").count()
    assert page.get_by_role(
        "link", name="Letter: your notification requirements have ended (PDF)"
    ).count()
