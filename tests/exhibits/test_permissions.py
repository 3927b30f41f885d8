"""One source of permissions for exhibits (issue 19.2; docs/extensions.md): for every role and
state of a case's exhibit (held, examined with a new-material export, destroyed), the case
page's and the exhibit page's links are exactly what ``exhibit_actions`` allows, and the views
and the services both refuse what it refuses, writing nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.db import transaction

from comeforward.audit.models import AuditEvent
from comeforward.cases.extensions import extension
from comeforward.cases.services import case_team_add
from comeforward.errors import DomainError
from comeforward.exhibits import permissions, services, triage_jobs
from comeforward.exhibits.models import (
    CustodyEvent,
    Examination,
    Exhibit,
    NewMaterialExport,
    TriageJob,
)
from comeforward.roles import Role

from .triage_files import sign, triage_output

pytestmark = pytest.mark.django_db

PEOPLE = (
    Role.INTAKE_OFFICER,
    Role.INVESTIGATOR,
    Role.FORENSIC_EXAMINER,
    Role.SUPERVISOR,
    Role.OFFENDER_MANAGER,
)
#: Who may do what, when there is something to do it to (the matrix the rule must give).
ROLES = {
    "record": {Role.INTAKE_OFFICER, Role.INVESTIGATOR},
    "custody": {Role.INTAKE_OFFICER, Role.INVESTIGATOR},
    "examination_import": {Role.FORENSIC_EXAMINER},
    "triage_job": {Role.FORENSIC_EXAMINER},
    "examine": {Role.FORENSIC_EXAMINER},
    "disclose_new_material": {Role.FORENSIC_EXAMINER, Role.SUPERVISOR},
}


def _written():
    return tuple(
        m.objects.count()
        for m in (AuditEvent, Exhibit, CustodyEvent, Examination, TriageJob, NewMaterialExport)
    )


def _import(examiner, exhibit):
    report, listing = triage_output()
    return services.examination_import(
        actor=examiner,
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=sign(report),
    )


def _set_up(stage, world):
    case, exhibit, users = world
    exam = export = None
    if stage in ("examined", "destroyed"):
        exam = _import(users[Role.FORENSIC_EXAMINER], exhibit)
        export = NewMaterialExport.objects.create(
            examination=exam, content=b"{}", sha256="0" * 64, size=2
        )
    if stage == "destroyed":
        services.custody_event_record(
            actor=users[Role.INVESTIGATOR], exhibit=exhibit, kind="destroyed", purpose="Order"
        )
        exhibit.refresh_from_db()
    return exam, export


def _attempts(actor, case, exhibit, exam, export):
    return {
        "record": lambda: services.exhibit_record(
            actor=actor,
            case=case,
            reference="JS/9",
            kind="phone",
            description="Phone",
            storage_location="Store",
        ),
        "custody": lambda: services.custody_event_record(
            actor=actor, exhibit=exhibit, kind="moved", purpose="Lab", to_location="Lab"
        ),
        "examination_import": lambda: _import(actor, exhibit),
        "triage_job": lambda: triage_jobs.triage_job_request(
            actor=actor, exhibit=exhibit, source_path="/nowhere"
        ),
        "examine": lambda: services.examination_sample_review_certify(
            actor=actor, examination=exam, sample_size=1, reason="Checked"
        ),
        "disclose_new_material": lambda: services.new_material_disclose(
            actor=actor, export=export, justification="CAID"
        ),
    }


def _pages(case, exhibit, exam):
    base = f"/cases/{case.pk}/exhibits/"
    on_exam = f"{base}{exhibit.pk}/examinations/{exam.pk}/" if exam else None
    return {
        "record": [base + "new"],
        "custody": [f"{base}{exhibit.pk}/custody"],
        "examination_import": [f"{base}{exhibit.pk}/examination"],
        "triage_job": [f"{base}{exhibit.pk}/triage"],
        "examine": [on_exam + p for p in ("grading", "sample-review", "findings")] if exam else [],
        "disclose_new_material": [on_exam + "new-material"] if exam else [],
    }


def _links(client, url, case):
    page = client.get(url).content.decode()
    found = set(re.findall(rf'href="(/cases/{case.pk}/exhibits/[^"]+)"', page))
    return {link for link in found if not re.fullmatch(r".*/exhibits/\d+/", link)}


@pytest.mark.parametrize("stage", ["held", "examined", "destroyed"])
def test_links_views_and_services_agree(stage, world, case_client):
    case, exhibit, users = world
    case_team_add(actor=None, case=case, user=users[Role.OFFENDER_MANAGER])
    exam, export = _set_up(stage, world)
    rule = extension("exhibits")
    for role in PEOPLE:
        user = users[role]
        case_wide = permissions.by_verb(rule.allowed_actions(user, case))
        assert set(case_wide) == set(ROLES)
        # On this exhibit and its examination (what its page links and the views check).
        here = permissions.for_exhibit(user, case, exhibit)
        on_exam = permissions.for_examination(user, case, new_material=True) if exam else case_wide
        now = {
            "record": case_wide["record"],
            "custody": here["custody"],
            "examination_import": here["examination_import"],
            "triage_job": here["triage_job"],
            "examine": on_exam["examine"],
            "disclose_new_material": on_exam["disclose_new_material"],
        }
        assert now == case_wide, (stage, role)  # one exhibit: the case is the exhibit
        there = {
            "record": True,
            "custody": stage != "destroyed",
            "examination_import": stage != "destroyed",
            "triage_job": stage != "destroyed",
            "examine": stage != "held",
            "disclose_new_material": stage != "held",
        }
        expected = {v for v in ROLES if role in ROLES[v] and there[v]}
        assert {v for v, a in now.items() if a} == expected, (stage, role)
        client = case_client(user, case)
        pages = _pages(case, exhibit, exam)
        shown = _links(client, f"/cases/{case.pk}/", case) | _links(
            client, f"/cases/{case.pk}/exhibits/{exhibit.pk}/", case
        )
        allowed = {p for v, a in now.items() if a for p in pages[v]}
        assert shown == allowed, (stage, role)
        for verb, action in now.items():
            if action.allowed or not pages[verb]:
                continue
            assert action.reason, (stage, role, verb)
            before = _written()
            with transaction.atomic(), pytest.raises(DomainError) as refused:
                _attempts(user, case, exhibit, exam, export)[verb]()
            assert refused.value.code, (stage, role, verb)
            assert _written() == before, (stage, role, verb)
            for url in pages[verb]:
                response = client.get(url)
                assert response.status_code in (302, 403), (stage, role, verb, url)
                assert _written()[1:] == before[1:], (stage, role, verb)
