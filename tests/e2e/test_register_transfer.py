"""Issue 13.7 browser journey: a register record moves between two forces of one
installation (the live server signs with its transfer key and trusts its own public key:
conftest ``_transfer_keys``). The sending offender manager makes the signed file; the
receiving force's offender manager imports it, checks the summary and accepts it (receipt to
download), and the sender confirms the receipt; a second file is imported and refused with a
reason. Every page is axe-checked."""

from __future__ import annotations

import datetime as dt
import json

from playwright.sync_api import expect

from comeforward.demo.data import demo_email
from comeforward.roles import Role

from .conftest import assert_accessible, run_cli, sign_in_as

RECEIVER = "offender-manager@otherton-e2e.example"
RECEIVING_FORCE = "otherton-e2e"

#: Two cautioned people with register records of the demo force, and a second police force
#: with an offender manager (a demo-style TOTP key), made through the services in the live
#: server's database. Prints the two record ids.
SETUP = """
import datetime as dt, json
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from comeforward.accounts import services as accounts
from comeforward.roles import OrganisationType, Role
from comeforward.cases.domain.states import CaseState
from comeforward.cases.services import case_demo_set_state, case_open, case_team_add
from comeforward.demo.data import DEMO_PASSWORD, demo_totp_key
from comeforward.people.services import person_create
from comeforward.register.services import register_open_for_caution

manager = get_user_model().objects.get(email=%(email)r)
other = accounts.organisation_create(actor=None, name="Otherton Constabulary (e2e)",
                                     code=%(force)r, kind=OrganisationType.POLICE_FORCE)
receiver = accounts.user_create(actor=None, email=%(receiver)r, full_name="Rory Receiver",
                                organisation=other, role=Role.OFFENDER_MANAGER,
                                password=DEMO_PASSWORD)
TOTPDevice.objects.create(user=receiver, name="Demo authenticator",
                          key=demo_totp_key(%(receiver)r), confirmed=True)
caution = dt.date.fromisoformat(%(caution)r)
records = []
for given in ("Terry", "Tess"):
    person = person_create(actor=manager, given_names=given, family_name="Transferred",
                           date_of_birth=dt.date(1981, 7, 9))
    case = case_open(actor=manager, person=person, owning_organisation=manager.organisation)
    case_team_add(actor=None, case=case, user=manager)
    case_demo_set_state(case=case, state=CaseState.CAUTIONED)
    record = register_open_for_caution(actor=manager, case=case, caution_date=caution,
        offence="CJA1988_S160", offence_date=caution - dt.timedelta(days=60),
        offender_dob=person.date_of_birth, youngest_depicted_age=12)
    records.append(record.pk)
print(json.dumps({"records": records}))
"""


def _open_record(page, record_id: int) -> None:
    page.goto(f"/register/{record_id}/")
    if "/audit/reason" in page.url:
        assert_accessible(page)
        page.get_by_label("Managing notification requirements").check()
        page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"**/register/{record_id}/")
    assert_accessible(page)


def _export(page, record_id: int, tmp_path) -> str:
    """The sending offender manager makes the signed transfer file; returns its path."""
    _open_record(page, record_id)
    page.get_by_role("link", name="Transfer the record to another force").click()
    page.wait_for_url(f"**/register/{record_id}/transfer")
    assert_accessible(page)
    page.get_by_label("Code of the receiving force").fill(RECEIVING_FORCE)
    page.get_by_label("Why the record is being transferred").fill(
        "The person has notified a move to Otherton"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Make the signed transfer file").click()
    path = tmp_path / f"transfer-{record_id}.json"
    download.value.save_as(path)
    envelope = json.loads(path.read_text(encoding="utf-8"))
    assert envelope["payload"]["to_force"] == RECEIVING_FORCE
    return str(path)


def _import(page, path: str) -> None:
    page.goto("/register/transfers/")
    assert_accessible(page)
    page.locator("#id_import-file").set_input_files(path)
    page.get_by_role("button", name="Check and hold the transfer file").click()
    page.wait_for_url("**/register/transfers/*/")
    assert_accessible(page)
    expect(page.get_by_test_id("transfer-status")).to_contain_text("Awaiting acceptance")
    expect(page.get_by_test_id("transfer-summary")).to_contain_text("Transferred")


def test_a_record_is_exported_imported_accepted_confirmed_and_another_refused(
    page, browser, live_server_url, tmp_path
):
    made = run_cli(
        "shell",
        "-c",
        SETUP
        % {
            "email": demo_email(Role.OFFENDER_MANAGER),
            "force": RECEIVING_FORCE,
            "receiver": RECEIVER,
            "caution": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
        },
    )
    assert made.returncode == 0, made.stderr
    accepted_id, refused_id = json.loads(made.stdout.strip().splitlines()[-1])["records"]

    sign_in_as(page, demo_email(Role.OFFENDER_MANAGER))
    page.wait_for_url("**/")
    first = _export(page, accepted_id, tmp_path)
    second = _export(page, refused_id, tmp_path)

    receiving = browser.new_context(base_url=live_server_url)
    other = receiving.new_page()
    try:
        sign_in_as(other, RECEIVER)
        other.wait_for_url("**/")

        _import(other, first)
        other.get_by_role("button", name="Accept the transfer").click()
        other.wait_for_url("**/register/transfers/*/")
        assert_accessible(other)
        expect(other.get_by_test_id("transfer-status")).to_contain_text("Accepted")
        with other.expect_download() as download:
            other.get_by_test_id("receipt").click()
        receipt = tmp_path / "receipt.json"
        download.value.save_as(receipt)

        _import(other, second)
        other.get_by_role("link", name="Refuse the transfer").click()
        other.wait_for_url("**/register/transfers/*/refuse")
        assert_accessible(other)
        other.get_by_role("button", name="Refuse the transfer").click()  # no reason yet
        expect(other.locator(".govuk-error-summary")).to_contain_text(
            "Give the reason for refusing the transfer"
        )
        assert_accessible(other)
        other.get_by_label("Why the transfer is refused").fill(
            "The person's new address is not in this force area"
        )
        other.get_by_role("button", name="Refuse the transfer").click()
        other.wait_for_url("**/register/transfers/*/")
        assert_accessible(other)
        expect(other.get_by_test_id("transfer-status")).to_contain_text("Refused")
        expect(other.get_by_test_id("transfer-reason")).to_have_text(
            "The person's new address is not in this force area"
        )
        other.goto("/register/transfers/")
        assert_accessible(other)
        expect(other.get_by_test_id("incoming")).to_contain_text("Accepted")
    finally:
        receiving.close()

    page.goto("/register/transfers/")
    assert_accessible(page)
    page.locator("#id_receipt-file").set_input_files(str(receipt))
    page.get_by_role("button", name="Confirm the receiving force's receipt").click()
    page.wait_for_url(f"**/register/{accepted_id}/")
    assert_accessible(page)
    assert "Transfer the record to another force" not in page.content()
    page.goto("/register/transfers/")
    assert_accessible(page)
    expect(page.get_by_test_id("outgoing")).to_contain_text("Accepted by the receiving force")
