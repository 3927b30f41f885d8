"""Services of the leads app: import with provenance, immutability, the gate, outcomes,
compartment, exports, statistics — each with its audit record."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.errors import DomainError
from comeforward.leads import selectors, services
from comeforward.leads.domain.schema import BatchRejected, card_hash
from comeforward.leads.domain.workflow import LeadTransitionNotAllowed
from comeforward.leads.models import ImportedRecordImmutable, Lead, LeadBatch
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory
from .samples import csv_bytes, payment_row

pytestmark = pytest.mark.django_db

PROVENANCE = dict(
    source="Payment processor X", legal_basis="DPA 2018 s.35; IPA warrant 123", grading="2CP"
)


def _import(user, rows, **kw):
    return services.batch_import(
        actor=user, kind="payment", filename="ore.csv", data=csv_bytes(rows), **{**PROVENANCE, **kw}
    )


def test_import_keeps_provenance_hash_and_originals(leads_team):
    data = csv_bytes([payment_row(), payment_row(record_id="T2", card_verification="failed")])
    batch = services.batch_import(
        actor=leads_team["member"], kind="payment", filename="ore.csv", data=data, **PROVENANCE
    )
    import hashlib

    assert batch.sha256 == hashlib.sha256(data).hexdigest()
    assert (batch.source, batch.grading, batch.row_count) == ("Payment processor X", "2CP", 2)
    assert batch.content == data.decode()  # kept (encrypted at rest)
    first, second = batch.leads.order_by("line")
    assert first.original["cardholder_name"] == "Alan Testperson"
    assert first.card_hash == card_hash(b"22" * 32 and ("22" * 32).encode(), "4111111111111111")
    assert first.imported["card_last4"] == "1111"
    assert not first.fraud_path and second.fraud_path
    assert second.indicators[0]["code"] == "CARD_VERIFICATION_ABSENT_OR_FAILED"
    event = AuditEvent.objects.filter(subject_type="lead_batch").get()
    assert event.operation == "collect" and event.details["sha256"] == batch.sha256


def test_bad_file_imports_nothing(leads_team):
    with pytest.raises(BatchRejected) as refused:
        _import(leads_team["member"], [payment_row(), payment_row(merchant="")])
    assert refused.value.details["errors"][0]["line"] == 3
    assert LeadBatch.objects.count() == 0 and Lead.objects.count() == 0


def test_same_file_twice_refused_and_provenance_required(leads_team):
    _import(leads_team["member"], [payment_row()])
    with pytest.raises(services.BatchAlreadyImported):
        _import(leads_team["member"], [payment_row()])
    with pytest.raises(services.ProvenanceRequired):
        _import(leads_team["member"], [payment_row(record_id="x")], legal_basis=" ")
    with pytest.raises(DomainError) as grading:
        _import(leads_team["member"], [payment_row(record_id="y")], grading="9ZZ")
    assert grading.value.code == "INVALID_GRADING"


def test_batch_and_annotations_are_never_edited(leads_team):
    batch = _import(leads_team["member"], [payment_row()])
    batch.source = "changed"
    with pytest.raises(ImportedRecordImmutable):
        batch.save()
    with pytest.raises(ImportedRecordImmutable):
        batch.delete()
    lead = batch.leads.get()
    note = services.lead_annotate(actor=leads_team["member"], lead=lead, text="Checked PNC")
    with pytest.raises(ImportedRecordImmutable):
        note.save()


def test_outsiders_cannot_import_or_see(leads_team, make_user):
    batch = _import(leads_team["member"], [payment_row()])
    outsider = make_user(Role.INVESTIGATOR)
    other_supervisor = make_user(Role.SUPERVISOR)  # a supervisor, but not named to the team
    admin = make_user(Role.ADMINISTRATOR)
    for user in (outsider, other_supervisor, admin):
        with pytest.raises(services.NotInCompartment):
            _import(user, [payment_row(record_id="z")])
        assert list(selectors.batches_visible_to(user)) == []
    other_force = OrganisationFactory(
        kind=OrganisationType.POLICE_FORCE, code="other", name="Other"
    )
    elsewhere = make_user(Role.INVESTIGATOR, organisation=other_force)
    services.leads_team_add(actor=None, user=elsewhere, kind="member")
    assert list(selectors.batches_visible_to(elsewhere)) == []
    assert list(selectors.batches_visible_to(leads_team["supervisor"])) == [batch]


def test_team_rules(make_user):
    analyst = make_user(Role.ANALYST)
    with pytest.raises(services.LeadsTeamRefused):
        services.leads_team_add(actor=None, user=analyst, kind="member")
    investigator = make_user(Role.INVESTIGATOR)
    with pytest.raises(services.LeadsTeamRefused):
        services.leads_team_add(actor=None, user=investigator, kind="supervisor")
    with pytest.raises(services.LeadsTeamRefused):  # only an administrator names the team
        services.leads_team_add(actor=investigator, user=investigator, kind="member")


def _proposed(leads_team, **row):
    lead = _import(leads_team["member"], [payment_row(**row)]).leads.get()
    services.lead_propose_action(
        actor=leads_team["member"], lead=lead, action="search", rationale="Paid for IIOC site"
    )
    lead.refresh_from_db()
    return lead


def test_gate_refuses_without_corroboration(leads_team):
    lead = _proposed(leads_team)
    with pytest.raises(LeadTransitionNotAllowed) as refused:
        services.lead_authorise_action(actor=leads_team["supervisor"], lead=lead, note="")
    assert any("corroboration" in b for b in refused.value.details["blockers"])
    lead.refresh_from_db()
    assert lead.state == "action_proposed"


def test_gate_refuses_the_proposer_and_non_supervisors(leads_team):
    lead = _proposed(leads_team)
    services.lead_corroborate(
        actor=leads_team["member"],
        lead=lead,
        kind="subscriber_data",
        source="ISP Y",
        reference="SD-1",
        summary="IP subscriber matches",
    )
    with pytest.raises(LeadTransitionNotAllowed):  # a member, not a supervisor
        services.lead_authorise_action(actor=leads_team["member2"], lead=lead, note="")
    # a supervisor who proposed it cannot approve it
    lead2 = _import(leads_team["supervisor"], [payment_row(record_id="S")]).leads.get()
    services.lead_propose_action(
        actor=leads_team["supervisor"], lead=lead2, action="arrest", rationale="r"
    )
    services.lead_corroborate(
        actor=leads_team["member"],
        lead=lead2,
        kind="device_evidence",
        source="DFU",
        summary="Device seized elsewhere",
    )
    lead2.refresh_from_db()
    with pytest.raises(LeadTransitionNotAllowed) as refused:
        services.lead_authorise_action(actor=leads_team["supervisor"], lead=lead2, note="")
    assert any("not be the person who proposed" in b for b in refused.value.details["blockers"])
    services.lead_authorise_action(actor=leads_team["supervisor2"], lead=lead2, note="ok")
    lead2.refresh_from_db()
    assert lead2.state == "action_authorised"


def test_corroboration_from_the_bulk_source_is_not_independent(leads_team):
    lead = _proposed(leads_team)
    with pytest.raises(DomainError) as refused:
        services.lead_corroborate(
            actor=leads_team["member"],
            lead=lead,
            kind="account_evidence",
            source="payment processor x",
            summary="same data",
        )
    assert refused.value.code == "CORROBORATION_NOT_INDEPENDENT"


def test_fraud_path_lead_needs_a_note_and_then_becomes_a_case(leads_team):
    lead = _proposed(leads_team, chargeback="yes")
    assert lead.fraud_path
    services.lead_corroborate(
        actor=leads_team["member"],
        lead=lead,
        kind="hash_match",
        source="CAID",
        summary="3 category A matches on seized device",
    )
    with pytest.raises(LeadTransitionNotAllowed):
        services.lead_authorise_action(actor=leads_team["supervisor"], lead=lead, note=" ")
    services.lead_authorise_action(
        actor=leads_team["supervisor"], lead=lead, note="Device evidence answers the chargeback"
    )
    lead.refresh_from_db()
    case = services.lead_open_case(actor=leads_team["member"], lead=lead)
    lead.refresh_from_db()
    assert (lead.state, lead.case_id) == ("case_opened", case.pk)
    assert case.route == "intelligence_lead"
    assert case.person.family_name == "Testperson"
    with pytest.raises(LeadTransitionNotAllowed):
        services.lead_no_further_action(
            actor=leads_team["member"], lead=lead, reason="other", text="x"
        )


def test_case_only_after_authorisation(leads_team):
    lead = _proposed(leads_team)
    with pytest.raises(LeadTransitionNotAllowed):
        services.lead_open_case(actor=leads_team["member"], lead=lead)


def test_nfa_outcomes_and_statistics_keep_fraud_victims_apart(leads_team):
    batch = _import(
        leads_team["member"],
        [
            payment_row(record_id="a", chargeback="yes"),
            payment_row(
                record_id="b",
                card_number="5555555555554444",
                ip="192.0.2.2",
                email="b@example.test",
            ),
            payment_row(
                record_id="c",
                card_number="4000056655665556",
                ip="192.0.2.3",
                email="c@example.test",
            ),
        ],
    )
    a, b, c = batch.leads.order_by("line")
    services.lead_no_further_action(
        actor=leads_team["member"], lead=a, reason="possible_fraud_victim", text="chargeback"
    )
    with pytest.raises(LeadTransitionNotAllowed):  # b has no indicator
        services.lead_no_further_action(
            actor=leads_team["member"], lead=b, reason="possible_fraud_victim", text="x"
        )
    services.lead_no_further_action(
        actor=leads_team["member"], lead=b, reason="insufficient_evidence", text="nothing else"
    )
    assert selectors.outcome_statistics(organisation_id=batch.organisation_id) == {
        "nfa_insufficient_evidence": 1,
        "nfa_possible_fraud_victim": 1,
        "received": 1,
    }


def test_urgency_from_checks_and_kirat_as_supplied_and_queue_order(leads_team):
    batch = _import(
        leads_team["member"],
        [
            payment_row(record_id="a"),
            payment_row(
                record_id="b",
                card_number="5555555555554444",
                ip="192.0.2.2",
                email="b@example.test",
            ),
            payment_row(
                record_id="c",
                card_number="4000056655665556",
                ip="192.0.2.3",
                email="c@example.test",
            ),
        ],
    )
    a, b, c = batch.leads.order_by("line")
    assert a.urgency == "HIGH"  # access not yet checked
    services.lead_record_access_check(actor=leads_team["member"], lead=a, access_to_children=False)
    services.lead_record_access_check(actor=leads_team["member"], lead=b, access_to_children=True)
    result = services.lead_record_kirat(
        actor=leads_team["member"],
        lead=a,
        category="MEDIUM",
        version="KIRAT 3",
        assessor="DC Example",
        assessed_on=dt.date(2025, 1, 2),
    )
    assert (result.category, result.version, result.assessor) == ("MEDIUM", "KIRAT 3", "DC Example")
    with pytest.raises(services.KiratInvalid):
        services.lead_record_kirat(
            actor=leads_team["member"],
            lead=a,
            category="SEVERE",
            version="3",
            assessor="x",
            assessed_on=dt.date(2025, 1, 2),
        )
    queue = selectors.lead_queue(leads_team["member"])
    assert [(lead.pk, lead.urgency) for lead in queue] == [
        (b.pk, "IMMEDIATE"),
        (c.pk, "HIGH"),
        (a.pk, "MEDIUM"),
    ]
    strength, _ = services.lead_strength(b)
    assert strength == "WEAK"  # urgency does not make evidence stronger


def test_export_is_watermarked_and_audited_as_disclosure(leads_team):
    batch = _import(leads_team["member"], [payment_row()])
    body = services.batch_export(
        actor=leads_team["member"], batch=batch, justification="Briefing the search team"
    )
    first_line = body.splitlines()[0]
    assert leads_team["member"].email in first_line and "bulk leads" in first_line
    assert "4111111111111111" not in body
    event = AuditEvent.objects.filter(scope="leads.export").get()
    assert event.operation == "disclose" and event.justification == "Briefing the search team"
    with pytest.raises(DomainError):
        services.batch_export(actor=leads_team["member"], batch=batch, justification="")
