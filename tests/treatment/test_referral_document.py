"""The treatment referral PDF (documents kind "treatment_referral"): person, case reference,
programme, provider, conditions with deadlines, protective marking; audited disclose."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest

from comeforward.accounts.roles import Role
from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_team_add
from comeforward.decisions import policy_facts as policy_facts_module
from comeforward.decisions import services as decision_services
from comeforward.decisions.selectors import decision_facts, person_policy_facts
from comeforward.documents.registry import DocumentUnavailable, document_kind
from comeforward.documents.services import document_generate
from comeforward.treatment import services
from comeforward.treatment.facts import treatment_facts

from ..cases.helpers import client_with_reason
from ..decisions.helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case, only_own_facts

pytestmark = pytest.mark.django_db
D = dt.date

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (apt poppler-utils) is not installed"
)


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    only_own_facts(monkeypatch, decision_facts, treatment_facts)
    monkeypatch.setattr(
        policy_facts_module, "_PROVIDERS", {"Person record (age today)": person_policy_facts}
    )


@pytest.fixture
def referred(make_user, police_force, provider_org):
    case = decision_case(police_force)
    case.person.given_names, case.person.family_name = "Robin", "Fictional"
    case.person.save(update_fields=["given_names", "family_name"])
    a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    decision_services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    decision = decision_services.decision_record(
        actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
    )
    decision_services.decision_approve(actor=b, decision=decision, approve=True)
    decision_services.caution_record(
        actor=a,
        case=case,
        kind="conditional_caution",
        offences=["PCA1978_S1"],
        offence_date=D(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=D(2026, 3, 2),
        conditions=[
            {
                "kind": "attend_treatment",
                "description": "Attend the Inform Plus group",
                "deadline": D(2026, 7, 20),
            },
            {"kind": "not_access_iioc", "description": "Not to access IIOC", "deadline": None},
        ],
        requirements=S23_MET,
    )
    case.refresh_from_db()
    officer = make_user(Role.OFFENDER_MANAGER, full_name="Olive Manager")
    case_team_add(actor=a, case=case, user=officer)
    return case, a, officer, provider_org


def test_the_kind_is_registered_for_police_roles_only():
    kind = document_kind("treatment_referral")
    assert (kind.title, kind.template) == ("Treatment referral", "treatment/pdf/referral.html")
    assert kind.roles == frozenset({Role.OFFENDER_MANAGER, Role.INVESTIGATOR, Role.SUPERVISOR})


def test_no_referral_no_document(referred):
    case, _, officer, _ = referred
    with pytest.raises(DocumentUnavailable) as caught:
        document_generate(
            actor=officer, case=case, kind="treatment_referral", justification="For the provider"
        )
    assert caught.value.message == "This case has not been referred for treatment"


@needs_pdftotext
def test_referral_pdf_content_marking_hash_and_audit(referred):
    case, supervisor, officer, provider = referred
    services.treatment_refer(
        actor=supervisor,
        case=case,
        provider=provider,
        programme="Inform Plus",
        expected_sessions=10,
    )
    document = document_generate(
        actor=officer, case=case, kind="treatment_referral", justification="For the provider"
    )
    data = bytes(document.content)
    assert data.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    text = pdf_text(data)
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert pages and all(page.count("OFFICIAL-SENSITIVE") == 2 for page in pages)
    flat = " ".join(text.split())
    assert "Treatment referral" in flat
    assert f"Case {case.reference} — Robin Fictional, born 9 January 1968" in flat
    assert "Programme Inform Plus (10 sessions expected)" in flat
    assert f"Provider {provider.name}" in flat
    assert "Caution given on 2 March 2026" in flat
    assert (
        "Attend and complete the treatment programme: Attend the Inform Plus group. "
        "Deadline: 20 July 2026." in flat
    )
    assert (
        "Not to access indecent images of children or CSAM: Not to access IIOC. "
        "Deadline: none." in flat
    )
    assert "Generated by Olive Manager" in flat
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope, event.justification) == (
        "disclose",
        "document.treatment_referral",
        "For the provider",
    )
    assert event.details == {
        "document": document.pk,
        "sha256": document.sha256,
        "kind": "treatment_referral",
    }


def test_panel_links_to_the_document_preselected(referred, sign_in):
    case, supervisor, officer, provider = referred
    services.treatment_refer(
        actor=supervisor, case=case, provider=provider, programme="Inform Plus", expected_sessions=5
    )
    client = client_with_reason(sign_in, officer, case)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    link = f"/documents/{case.pk}/generate?kind=treatment_referral"
    assert link in page
    form = client.get(link, follow=True).content.decode()
    assert 'value="treatment_referral" checked' in form
