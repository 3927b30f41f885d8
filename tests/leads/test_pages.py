"""Leads pages: the compartment (role × URL matrix), upload, the lead page's gate, linkage
with clerical review and its waterfall, export, the case extension, and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from comeforward.audit.access import remember_reason
from comeforward.audit.models import AuditEvent
from comeforward.cases.extensions import case_panels
from comeforward.leads import selectors, services
from comeforward.leads.extension import LeadsExtension
from comeforward.leads.models import LeadLink
from comeforward.people.services import person_address_add, person_create
from comeforward.roles import Role

from ..factories import CaseFactory
from .samples import csv_bytes, payment_row

pytestmark = pytest.mark.django_db

PROVENANCE = dict(source="Payment processor X", legal_basis="DPA 2018 s.35", grading="2CP")


def _batch(user, rows=None):
    return services.batch_import(
        actor=user,
        kind="payment",
        filename="ore.csv",
        data=csv_bytes(rows or [payment_row()]),
        **PROVENANCE,
    )


def _with_reasons(client, *subjects):
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    for subject in subjects:
        remember_reason(request, *subject, "Testing need-to-know")
    session.save()
    return client


def test_only_the_compartment_sees_bulk_pages(leads_team, make_user, sign_in):
    batch = _batch(leads_team["member"])
    lead = batch.leads.get()
    users = {role: make_user(role) for role in Role.values}  # none named to the team
    users |= {"team member": leads_team["member"], "named supervisor": leads_team["supervisor"]}
    team = frozenset({"team member", "named supervisor"})
    matrix = {
        "/leads/": team,
        "/leads/import": team,
        "/leads/queue": team,
        "/leads/review": team,
        "/leads/statistics": team,
        f"/leads/batches/{batch.pk}/": team,
        f"/leads/{lead.pk}/": team,
    }
    for label, user in users.items():
        client = _with_reasons(sign_in(user), ("lead_batch", batch.pk), ("lead", lead.pk))
        for url, allowed in matrix.items():
            status = client.get(url).status_code
            if label in allowed:
                assert status == 200, (label, url, status)
            else:
                assert status in (403, 404), (label, url, status)
        for url in (
            f"/leads/batches/{batch.pk}/export",
            f"/leads/batches/{batch.pk}/link",
            f"/leads/{lead.pk}/act",
        ):
            status = client.post(
                url, {"justification": "x", "step": "annotate", "text": "x"}
            ).status_code
            if label in team:
                assert status in (200, 302), (label, url, status)
            else:
                assert status in (403, 404), (label, url, status)


def test_bulk_view_asks_for_a_reason_and_is_audited_and_watermarked(leads_team, sign_in):
    batch = _batch(leads_team["member"])
    client = sign_in(leads_team["member"])
    first = client.get(f"/leads/batches/{batch.pk}/")
    assert first.status_code == 302 and "/audit/reason" in first["Location"]
    _with_reasons(client, ("lead_batch", batch.pk))
    page = client.get(f"/leads/batches/{batch.pk}/")
    assert page.status_code == 200
    assert leads_team["member"].email in page.content.decode()  # the watermark
    event = AuditEvent.objects.filter(scope="leads.batch_view").get()
    assert event.operation == "consult" and event.justification == "Testing need-to-know"


def test_upload_page_imports_or_reports_line_numbers(leads_team, sign_in):
    client = sign_in(leads_team["member"])
    bad = csv_bytes([payment_row(), payment_row(cardholder_name="")])
    page = client.post(
        "/leads/import",
        {
            "file": SimpleUploadedFile("ore.csv", bad),
            "kind": "payment",
            **PROVENANCE,
        },
    )
    assert page.status_code == 200
    assert "Line 3, cardholder_name" in page.content.decode()
    assert not selectors.batches_visible_to(leads_team["member"]).exists()
    done = client.post(
        "/leads/import",
        {
            "file": SimpleUploadedFile("ore.csv", csv_bytes([payment_row()])),
            "kind": "payment",
            **PROVENANCE,
        },
    )
    assert done.status_code == 302
    assert selectors.batches_visible_to(leads_team["member"]).get().row_count == 1


def test_lead_page_shows_blockers_until_corroborated(leads_team, sign_in):
    lead = _batch(leads_team["member"], [payment_row(chargeback="yes")]).leads.get()
    member = _with_reasons(sign_in(leads_team["member"]), ("lead", lead.pk))
    assert member.post(f"/leads/{lead.pk}/act", {"step": "propose"}).status_code == 400
    proposed = member.post(
        f"/leads/{lead.pk}/act", {"step": "propose", "action": "search", "rationale": "r"}
    )
    assert proposed.status_code == 302
    boss = _with_reasons(sign_in(leads_team["supervisor"]), ("lead", lead.pk))
    page = boss.get(f"/leads/{lead.pk}/").content.decode()
    assert "Possible victim of card fraud" in page
    assert "At least one independent corroboration" in page
    refused = boss.post(f"/leads/{lead.pk}/act", {"step": "authorise", "note": "go"})
    assert refused.status_code == 400
    lead.refresh_from_db()
    assert lead.state == "action_proposed"


def test_linkage_proposes_links_with_waterfall_and_review(leads_team, sign_in, police_force):
    person = person_create(
        actor=None, given_names="Alan", family_name="Testperson", date_of_birth=dt.date(1970, 5, 1)
    )
    CaseFactory(person=person, owning_organisation=police_force)
    person_address_add(
        actor=None, person=person, line_1="1 Example Street, Testtown", postcode="TE1 1ST"
    )
    batch = _batch(
        leads_team["member"],
        [
            payment_row(),
            payment_row(
                record_id="T2",
                cardholder_name="Alan Tsetperson",
                email="",
                phone="",
                card_number="5555555555554444",
                billing_postcode="ZZ1 1ZZ",
                billing_address="elsewhere",
            ),
        ],
    )
    run = services.batch_link(actor=leads_team["member"], batch=batch)
    links = list(run.links.all())
    first = batch.leads.get(line=2)
    to_person = [link for link in links if link.person_id == person.pk and link.lead_id == first.pk]
    assert to_person and to_person[0].band == LeadLink.AUTO
    assert selectors.confirmed_person_id(first) == person.pk
    event = AuditEvent.objects.filter(scope="leads.linkage").get()
    assert event.operation == "combine"
    client = sign_in(leads_team["member"])
    page = client.get(f"/leads/links/{to_person[0].pk}/").content.decode()
    assert "<svg" in page and 'role="img"' in page and "How the match weight adds up" in page
    review = next((link for link in links if link.band == LeadLink.REVIEW), None)
    if review is None:  # make one for the review step (the weights depend on the priors)
        review = LeadLink.objects.create(
            run=run,
            lead=first,
            other_lead=batch.leads.get(line=3),
            match_weight=3.0,
            match_probability=0.89,
            explanation=to_person[0].explanation,
            band=LeadLink.REVIEW,
        )
    assert review in selectors.review_queue(leads_team["member"])
    done = client.post(
        f"/leads/links/{review.pk}/", {"decision": "rejected", "note": "different DOB"}
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.decided_by_id) == ("rejected", leads_team["member"].pk)
    assert (
        AuditEvent.objects.filter(scope="leads.link_review").get().details["decision"] == "rejected"
    )


def test_export_page_downloads_a_watermarked_csv(leads_team, sign_in):
    batch = _batch(leads_team["member"])
    client = sign_in(leads_team["supervisor"])
    response = client.post(f"/leads/batches/{batch.pk}/export", {"justification": "briefing"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert leads_team["supervisor"].email in response.content.decode().splitlines()[0]


def test_case_extension_panel_and_actions(leads_team, make_user, rf):
    lead = _batch(leads_team["member"]).leads.get()
    services.lead_propose_action(
        actor=leads_team["member"], lead=lead, action="search", rationale="r"
    )
    services.lead_corroborate(
        actor=leads_team["member"],
        lead=lead,
        kind="device_evidence",
        source="DFU",
        summary="device",
    )
    services.lead_authorise_action(actor=leads_team["supervisor"], lead=lead, note="")
    case = services.lead_open_case(actor=leads_team["member"], lead=lead)
    ext = LeadsExtension()
    request = rf.get("/")
    request.user = leads_team["member"]
    panel = ext.panel(request, case)
    assert panel["lead"].pk == lead.pk
    assert [a.key for a in panel["actions"] if a.allowed] == ["leads.view_origin"]
    outsider = make_user(Role.INVESTIGATOR)
    request.user = outsider
    assert ext.panel(request, case)["lead"] is None
    (action,) = ext.allowed_actions(outsider, case)
    assert not action.allowed and "leads team" in action.reason
    other_case = CaseFactory()
    assert (
        ext.panel(request, other_case) is None and ext.allowed_actions(outsider, other_case) == []
    )
    request.user = leads_team["member"]
    assert [p["key"] for p in case_panels(request, case) if p["key"] == "leads"] == ["leads"]


def test_cli_import_and_errors(leads_team, tmp_path, capsys):
    path = tmp_path / "ore.csv"
    path.write_bytes(csv_bytes([payment_row(), payment_row(record_id="2", merchant="")]))
    args = [
        "import",
        str(path),
        "--kind",
        "payment",
        "--source",
        "X",
        "--legal-basis",
        "Y",
        "--grading",
        "2CP",
        "--actor",
        leads_team["member"].email,
    ]
    with pytest.raises(SystemExit) as exit_:
        call_command("leads", *args)
    assert exit_.value.code == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "BATCH_INVALID" and error["details"]["errors"][0]["line"] == 3
    path.write_bytes(csv_bytes([payment_row()]))
    call_command("leads", *args)
    result = json.loads(capsys.readouterr().out)
    assert result["rows"] == 1 and result["grading"] == "2CP" and len(result["sha256"]) == 64
    with pytest.raises(SystemExit) as exit_:
        call_command("leads", *args[:-1], "nobody@example.test")
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "UNKNOWN_USER"
