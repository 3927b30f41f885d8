"""Exports (issue 18.4): CSV and ODS of case lists, task queues, register lists and audit
extracts — each audited with its purpose and watermarked with who made it."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from comeforward.api import exports
from comeforward.audit.models import AuditEvent
from comeforward.roles import Role

from ..factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_case_list_export_is_watermarked_and_audited(make_user, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    case = CaseFactory(owning_organisation=police_force, person=PersonFactory(given_names="=cmd"))
    made = exports.export_make(
        actor=supervisor, kind="cases", fmt="csv", purpose="Monthly force return"
    )
    rows = _rows(made.content)
    event = AuditEvent.objects.get(seq=made.audit_seq)
    assert (event.operation, event.justification) == ("disclose", "Monthly force return")
    assert event.details["records"] == [case.reference] and event.actor_id == supervisor.pk
    assert rows[1][1] == f"{supervisor.full_name} <{supervisor.email}>"
    assert rows[3] == ["Purpose", "Monthly force return"]
    assert rows[4] == ["Audit record", str(made.audit_seq)]
    header = rows.index(list(exports.KINDS["cases"].header))
    assert rows[header + 1][0] == case.reference
    assert rows[header + 1][3] == "'=cmd"  # no formula runs in a spreadsheet
    assert rows[-1][0] == "End of export: 1 rows" and supervisor.email in rows[-1][1]


def test_an_ods_export_is_a_spreadsheet_with_the_same_watermark(make_user, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    CaseFactory(owning_organisation=police_force)
    made = exports.export_make(actor=supervisor, kind="cases", fmt="ods", purpose="For review")
    with zipfile.ZipFile(io.BytesIO(made.content)) as ods:
        assert ods.namelist()[0] == "mimetype"
        assert ods.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = ods.read("content.xml").decode()
    assert supervisor.email in content and "For review" in content
    assert made.filename.endswith(f"-audit{made.audit_seq}.ods")


def test_an_export_needs_a_purpose_and_the_role(make_user):
    with pytest.raises(exports.PurposeRequired):
        exports.export_make(actor=make_user(Role.SUPERVISOR), kind="cases", fmt="csv", purpose="")
    with pytest.raises(exports.ExportNotAllowed):
        exports.export_make(
            actor=make_user(Role.INVESTIGATOR), kind="audit", fmt="csv", purpose="Looking"
        )
    assert not AuditEvent.objects.filter(subject_type="export").exists()


def test_an_export_holds_only_what_the_user_may_see(make_user, police_force):
    from comeforward.cases.services import case_team_add

    investigator = make_user(Role.INVESTIGATOR)
    mine, _theirs = (
        CaseFactory(owning_organisation=police_force),
        CaseFactory(owning_organisation=police_force),
    )
    case_team_add(actor=None, case=mine, user=investigator)
    made = exports.export_make(actor=investigator, kind="cases", fmt="csv", purpose="My cases")
    assert made.rows == 1 and mine.reference in made.content.decode()


@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        (Role.SUPERVISOR, {"cases", "tasks", "register"}),
        (Role.OFFENDER_MANAGER, {"cases", "tasks", "register"}),
        (Role.INVESTIGATOR, {"cases", "tasks"}),
        (Role.ADMINISTRATOR, {"audit"}),
        (Role.ANALYST, None),
    ],
)
def test_the_export_page_offers_each_role_its_kinds(make_user, sign_in, role, kinds):
    browser = sign_in(make_user(role))
    response = browser.get("/exports/")
    if kinds is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    offered = {k for k in exports.KINDS if f'value="{k}"' in page}
    assert offered == kinds


def test_the_export_page_downloads_the_file(make_user, sign_in, police_force):
    CaseFactory(owning_organisation=police_force)
    browser = sign_in(make_user(Role.SUPERVISOR))
    response = browser.post(
        "/exports/", {"kind": "cases", "format": "csv", "purpose": "Weekly performance"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    assert "Weekly performance" in response.content.decode("utf-8-sig")


def test_an_api_export_is_audited_for_the_client(make_client, api, police_force):
    CaseFactory(owning_organisation=police_force)
    client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    response = api(token).get("/api/v1/exports/cases?purpose=Nightly+reconciliation&format=ods")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    export_event = AuditEvent.objects.filter(subject_type="export").get()
    assert export_event.details["via"] == f"api:{client.token_prefix}"
    assert export_event.actor_email == client.principal.email
    refused = api(token).get("/api/v1/exports/cases?purpose=x")
    assert refused.status_code == 422
