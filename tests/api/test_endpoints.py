"""The operations: the same need-to-know as the web pages, through the apps' selectors and
services, for a client acting in its registered role and organisation (issue 18.1)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from comeforward_triage.signing import public_key_text
from django.core.files.uploadedfile import SimpleUploadedFile

from comeforward.cases.domain.states import CaseState
from comeforward.cases.services import case_team_add
from comeforward.exhibits.models import TriageSigningKey, TriageSigningKeyKind
from comeforward.exhibits.services import exhibit_record
from comeforward.roles import OrganisationType, Role

from ..exhibits.triage_files import TEST_SIGNER, sign, triage_output
from ..factories import CaseFactory, OrganisationFactory, PersonFactory
from ..register.conftest import open_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_force():
    return OrganisationFactory(kind=OrganisationType.POLICE_FORCE)


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


# --- cases --------------------------------------------------------------------------------


def test_a_force_client_lists_its_own_force_cases_only(make_client, api, police_force, other_force):
    mine = [CaseFactory(owning_organisation=police_force) for _ in range(3)]
    CaseFactory(owning_organisation=other_force)
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    listed = _json(api(token), "/api/v1/cases")
    assert [c["reference"] for c in listed["items"]] == [c.reference for c in reversed(mine)]


def test_a_team_role_client_sees_only_cases_it_is_on(make_client, api, police_force):
    on, off = (
        CaseFactory(owning_organisation=police_force),
        CaseFactory(owning_organisation=police_force),
    )
    client, token = make_client(Role.INVESTIGATOR, scopes=["cases:read"])
    case_team_add(actor=None, case=on, user=client.principal)
    listed = _json(api(token), "/api/v1/cases")
    assert [c["id"] for c in listed["items"]] == [on.pk]
    assert api(token).get(f"/api/v1/cases/{off.pk}").status_code == 404


def test_an_analyst_client_reads_no_cases(make_client, api, police_force):
    CaseFactory(owning_organisation=police_force)
    _c, token = make_client(Role.ANALYST, scopes=["cases:read"])
    response = api(token).get("/api/v1/cases")
    assert (response.status_code, response.json()["code"]) == (403, "ROLE_NOT_PERMITTED")


def test_cursor_pagination_walks_every_case_once(make_client, api, police_force):
    cases = [CaseFactory(owning_organisation=police_force) for _ in range(5)]
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    seen, url = [], "/api/v1/cases?limit=2"
    for _ in range(5):
        page = _json(api(token), url)
        seen += [c["id"] for c in page["items"]]
        if not page["next_cursor"]:
            break
        url = f"/api/v1/cases?limit=2&cursor={page['next_cursor']}"
    assert seen == sorted((c.pk for c in cases), reverse=True)


def test_cases_filter_by_state(make_client, api, police_force):
    CaseFactory(owning_organisation=police_force)
    cautioned = CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    listed = _json(api(token), "/api/v1/cases?state=cautioned")
    assert [c["id"] for c in listed["items"]] == [cautioned.pk]
    assert api(token).get("/api/v1/cases?state=nonsense").status_code == 422


def test_a_self_referral_opens_a_case_in_the_client_force(make_client, api, police_force):
    client, token = make_client(Role.INTAKE_OFFICER, scopes=["cases:create", "cases:read"])
    response = api(token).post(
        "/api/v1/cases",
        json.dumps({"given_names": "Sam", "family_name": "Example", "date_of_birth": "1980-01-02"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owning_organisation"] == police_force.code and body["route"] == "self_referral"
    assert body["person"]["family_name"] == "Example"
    assert _json(api(token), f"/api/v1/cases/{body['id']}")["reference"] == body["reference"]


def test_a_self_referral_cannot_attach_another_force_person(
    make_client, api, police_force, other_force
):
    elsewhere = CaseFactory(owning_organisation=other_force)
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = api(token).post(
        "/api/v1/cases",
        json.dumps({"person_id": elsewhere.person.pk}),
        content_type="application/json",
    )
    assert response.status_code == 404


# --- people -------------------------------------------------------------------------------


def test_people_lookup_is_scoped_and_needs_a_criterion(make_client, api, police_force, other_force):
    mine = CaseFactory(
        owning_organisation=police_force, person=PersonFactory(family_name="Wrenfield")
    )
    CaseFactory(owning_organisation=other_force, person=PersonFactory(family_name="Wrenfield"))
    _c, token = make_client(Role.SUPERVISOR, scopes=["people:read"])
    found = _json(api(token), "/api/v1/people?name=wrenf")["items"]
    assert [(p["id"], p["case_references"]) for p in found] == [(mine.person.pk, [mine.reference])]
    assert api(token).get("/api/v1/people").json()["code"] == "INVALID_INPUT"
    assert _json(api(token), f"/api/v1/people/{mine.person.pk}")["family_name"] == "Wrenfield"


# --- register -----------------------------------------------------------------------------


@pytest.fixture
def record(police_force):
    case = CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)
    return open_record(case, dt.date.today() - dt.timedelta(days=1))


def test_register_records_for_the_force_offender_managers(make_client, api, record, other_force):
    other_case = CaseFactory(owning_organisation=other_force, state=CaseState.CAUTIONED)
    open_record(other_case, dt.date.today() - dt.timedelta(days=1))
    _c, token = make_client(Role.OFFENDER_MANAGER, scopes=["register:read"])
    listed = _json(api(token), "/api/v1/register/records")
    assert [r["id"] for r in listed["items"]] == [record.pk]
    detail = _json(api(token), f"/api/v1/register/records/{record.pk}")
    assert detail["case_reference"] == record.case.reference and detail["active"] is True


def test_recording_a_notification_through_the_register_service(make_client, api, record):
    _c, token = make_client(Role.OFFENDER_MANAGER, scopes=["register:read", "register:write"])
    body = {
        "kind": "initial",
        "date": dt.date.today().isoformat(),
        "police_station": "Central",
        "particulars": [
            {"kind": "home_address", "value": "1 Example Road, Testtown"},
            {"kind": "passport", "value": "123456789"},
        ],
    }
    url = f"/api/v1/register/records/{record.pk}/notifications"
    response = api(token).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "initial"
    assert [n["kind"] for n in _json(api(token), url)["items"]] == ["initial"]
    particulars = {
        p["kind"]: p
        for p in _json(api(token), f"/api/v1/register/records/{record.pk}")["particulars"]
    }
    assert particulars["home_address"]["value"] == "1 Example Road, Testtown"
    assert particulars["passport"]["value"] is None
    assert particulars["passport"]["masked"].endswith("789")
    again = api(token).post(url, json.dumps(body), content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (422, "REGISTER_INVALID_NOTIFICATION")


def test_only_an_offender_manager_client_records_notifications(make_client, api, record):
    _c, token = make_client(Role.SUPERVISOR, scopes=["register:write"])
    body = {"kind": "initial", "date": dt.date.today().isoformat()}
    response = api(token).post(
        f"/api/v1/register/records/{record.pk}/notifications",
        json.dumps(body),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "ROLE_NOT_PERMITTED")


# --- exhibits and triage import -----------------------------------------------------------


@pytest.fixture
def exhibit(police_force, make_user):
    case = CaseFactory(owning_organisation=police_force)
    return exhibit_record(
        actor=make_user(Role.INVESTIGATOR),
        case=case,
        reference="JS/1",
        kind="phone",
        description="Black phone",
        storage_location="Property store",
    )


def test_an_examiner_client_imports_a_signed_triage_report(make_client, api, exhibit):
    TriageSigningKey.objects.create(
        name="Test signer",
        kind=TriageSigningKeyKind.WORKER,
        fingerprint=TEST_SIGNER.fingerprint,
        public_key=public_key_text(TEST_SIGNER.public_key),
    )
    client, token = make_client(Role.FORENSIC_EXAMINER, scopes=["exhibits:read", "triage:import"])
    case = exhibit.case
    base = f"/api/v1/cases/{case.pk}/exhibits"
    assert api(token).get(base).status_code == 404  # not on the team yet
    case_team_add(actor=None, case=case, user=client.principal)
    assert [e["reference"] for e in _json(api(token), base)["items"]] == ["JS/1"]
    report, listing = triage_output()
    files = {
        "report": SimpleUploadedFile("report.json", report),
        "files": SimpleUploadedFile("files.jsonl", listing),
        "signature": SimpleUploadedFile("report.json.sig", sign(report)),
    }
    url = f"{base}/{exhibit.pk}/examinations"
    response = api(token).post(url, files, headers={"Idempotency-Key": "run-1"})
    assert response.status_code == 201, response.content
    assert response.json()["signer_fingerprint"] == TEST_SIGNER.fingerprint
    detail = _json(api(token), f"{base}/{exhibit.pk}")
    assert [e["id"] for e in detail["examinations"]] == [response.json()["id"]]
    for upload in files.values():
        upload.seek(0)
    replay = api(token).post(url, files, headers={"Idempotency-Key": "run-1"})
    assert replay.json() == response.json()
    for upload in files.values():
        upload.seek(0)
    twice = api(token).post(url, files)
    assert (twice.status_code, twice.json()["code"]) == (409, "REPORT_ALREADY_IMPORTED")


def test_an_unsigned_report_is_refused(make_client, api, exhibit):
    client, token = make_client(Role.FORENSIC_EXAMINER, scopes=["triage:import"])
    case_team_add(actor=None, case=exhibit.case, user=client.principal)
    report, listing = triage_output()
    response = api(token).post(
        f"/api/v1/cases/{exhibit.case.pk}/exhibits/{exhibit.pk}/examinations",
        {
            "report": SimpleUploadedFile("report.json", report),
            "files": SimpleUploadedFile("files.jsonl", listing),
            "signature": SimpleUploadedFile("report.json.sig", b"not a signature"),
        },
    )
    assert response.status_code in (403, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert exhibit.examinations.count() == 0


# --- tasks, statistics, audit ---------------------------------------------------------------


def test_tasks_are_the_client_role_tasks_on_visible_cases(
    make_client, api, police_force, make_user
):
    from comeforward.cases.services import case_open

    case_open(
        actor=None,
        person=PersonFactory(),
        owning_organisation=police_force,
    )
    _c, token = make_client(Role.SUPERVISOR, scopes=["tasks:read"])
    items = _json(api(token), "/api/v1/tasks")["items"]
    assert all(t["assigned_role"] == Role.SUPERVISOR for t in items)
    _c2, other = make_client(Role.INVESTIGATOR, scopes=["tasks:read"], name="Other")
    assert _json(api(other), "/api/v1/tasks")["items"] == []


def test_statistics_are_not_available_before_the_first_refresh(make_client, api):
    _c, token = make_client(Role.ANALYST, scopes=["statistics:read"])
    response = api(token).get("/api/v1/statistics")
    assert (response.status_code, response.json()["code"]) == (404, "STATISTICS_NOT_AVAILABLE")


def test_statistics_are_the_published_suppressed_figures(make_client, api, police_force):
    from comeforward.statistics.selectors import published_figures
    from comeforward.statistics.services import figures_refresh

    _c, token = make_client(Role.ANALYST, scopes=["statistics:read"])
    figures_refresh(organisation_id=police_force.pk)
    body = _json(api(token), "/api/v1/statistics?period=quarter")
    assert body["period"] == "quarter"
    assert body["figures"], "a refreshed force publishes its tables"
    published = published_figures(_c.principal, "quarter")
    with_cells = {k for k, t in published.tables.items() if any(r["cells"] for r in t.rows)}
    assert {f["table"] for f in body["figures"]} == with_cells
    withheld = {"fewer than 5", "[c]", "not published"}
    for figure in body["figures"]:
        assert figure["suppressed"] == (figure["shown"] in withheld)
        if figure["suppressed"]:
            assert figure["value"] is None  # never the number behind a withheld cell
    # The flat list is the tables' published cells, one for one.
    cells = sum(len(row["cells"]) for t in published.tables.values() for row in t.rows)
    assert len(body["figures"]) == cells


def test_statistics_refuse_roles_without_statistics_and_bad_periods(make_client, api, police_force):
    from comeforward.statistics.services import figures_refresh

    figures_refresh(organisation_id=police_force.pk)
    _c, token = make_client(Role.INVESTIGATOR, scopes=["statistics:read"], name="Investigator")
    response = api(token).get("/api/v1/statistics")
    assert (response.status_code, response.json()["code"]) == (403, "ROLE_NOT_PERMITTED")
    _c2, analyst = make_client(Role.ANALYST, scopes=["statistics:read"], name="Analyst")
    response = api(analyst).get("/api/v1/statistics?period=week")
    assert response.json()["code"] == "PERIOD_INVALID"


def test_the_audit_extract_is_the_organisation_trail_in_order(
    make_client, api, police_force, make_user, other_force
):
    from comeforward.audit.services import audit_record

    officer = make_user(Role.INVESTIGATOR)
    outsider = make_user(Role.INVESTIGATOR, organisation=other_force)
    for actor in (officer, outsider, officer, officer):
        audit_record(actor=actor, operation="collect", subject_type="test", scope="test")
    _c, token = make_client(Role.ADMINISTRATOR, scopes=["audit:read"])
    first = _json(api(token), "/api/v1/audit/events?limit=2")
    seqs = [e["seq"] for e in first["items"]]
    assert seqs == sorted(seqs) and len(seqs) == 2
    assert all(e["actor_organisation"] == police_force.name for e in first["items"])
    second = _json(api(token), f"/api/v1/audit/events?limit=2&cursor={first['next_cursor']}")
    assert second["items"][0]["seq"] > seqs[-1]
    assert second["items"][0]["prev_hash"]


def test_only_an_administrator_client_holds_audit_read(make_client):
    from comeforward.api.services import ApiClientInvalid

    with pytest.raises(ApiClientInvalid):
        make_client(Role.SUPERVISOR, scopes=["audit:read"])


def test_a_local_authority_client_is_told_plainly_why_there_are_no_statistics(make_client, api):
    """Not "the nightly refresh has not run": a partner organisation gets no figures at all,
    and the problem says why (statistics/selectors.no_figures_reason)."""
    from comeforward.roles import OrganisationType

    council = OrganisationFactory(
        name="Exampleshire Council", code="exampleshire", kind=OrganisationType.LOCAL_AUTHORITY
    )
    _c, token = make_client(Role.ANALYST, scopes=["statistics:read"], organisation=council)
    response = api(token).get("/api/v1/statistics")
    body = response.json()
    assert (response.status_code, body["code"]) == (404, "STATISTICS_NOT_AVAILABLE")
    assert "Exampleshire Council" in body["detail"] and "nightly" not in body["detail"]
