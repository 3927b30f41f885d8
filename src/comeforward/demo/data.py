"""Synthetic, clearly fictional demo data: organisations, one user per role, a few cases.

Only ever loaded by ``comeforward demo`` (or tests): there are no default accounts anywhere
else. Demo users' TOTP keys are derived from their email address so that the demo can tell
people how to pass MFA (``comeforward demo_code EMAIL``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from comeforward.accounts import selectors as account_selectors
from comeforward.accounts import services as account_services
from comeforward.cases import services as case_services
from comeforward.cases.domain.states import CaseState
from comeforward.people import services as people_services
from comeforward.roles import OrganisationType, Role

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 - demo only, printed on start
DEMO_DOMAIN = "demo.example"

ORGANISATIONS = [
    ("Northshire Police (demo)", "northshire-police", OrganisationType.POLICE_FORCE),
    (
        "Example Assessment Service (demo)",
        "example-assessment",
        OrganisationType.ASSESSMENT_SERVICE,
    ),
    ("Example Treatment Provider (demo)", "example-treatment", OrganisationType.TREATMENT_PROVIDER),
    ("Northshire County Council (demo)", "northshire-council", OrganisationType.LOCAL_AUTHORITY),
]

USERS = [
    (Role.INTAKE_OFFICER, "Ira Intake", "northshire-police"),
    (Role.INVESTIGATOR, "Ivan Investigator", "northshire-police"),
    (Role.FORENSIC_EXAMINER, "Freya Forensic", "northshire-police"),
    (Role.INDEPENDENT_ASSESSOR, "Asha Assessor", "example-assessment"),
    (Role.TREATMENT_PROVIDER, "Theo Treatment", "example-treatment"),
    (Role.OFFENDER_MANAGER, "Olu Offender-Manager", "northshire-police"),
    (Role.SUPERVISOR, "Sam Supervisor", "northshire-police"),
    (Role.ANALYST, "Ana Analyst", "northshire-police"),
    (Role.ADMINISTRATOR, "Adi Administrator", "northshire-police"),
]

# (given names, family name, date of birth, state) — fictional people.
PEOPLE = [
    ("Alex", "Example", dt.date(1984, 3, 14), CaseState.REFERRED),
    ("Jordan", "Sample", dt.date(1979, 11, 2), CaseState.DEVICES_RECEIVED),
    ("Casey", "Placeholder", dt.date(1991, 6, 30), CaseState.ASSESSMENT),
    ("Morgan", "Fictional", dt.date(1968, 1, 9), CaseState.DECISION),
    ("Taylor", "Imaginary", dt.date(1975, 5, 5), CaseState.DECISION),
    ("Riley", "Testperson", dt.date(1988, 8, 21), CaseState.IN_TREATMENT),
]


def demo_email(role: str) -> str:
    return f"{role.replace('_', '-')}@{DEMO_DOMAIN}"


def demo_totp_key(email: str) -> str:
    """A 20-byte hex key derived from the email: demo only."""
    return hashlib.sha256(f"comeforward-demo:{email}".encode()).hexdigest()[:40]


def demo_code(email: str) -> str:
    if not settings.DEMO_MODE:
        raise PermissionError("Demo codes exist only in demo mode")
    totp = TOTP(bytes.fromhex(demo_totp_key(email)))
    return f"{totp.token():06d}"


def load_demo_data() -> dict[str, int]:
    """Create the demo world if it is not there yet. Idempotent."""
    if account_selectors.user_by_email(demo_email(Role.ADMINISTRATOR)) is not None:
        return {"created": 0}
    with transaction.atomic():
        orgs = {
            code: account_services.organisation_create(actor=None, name=name, code=code, kind=kind)
            for name, code, kind in ORGANISATIONS
        }
        users = {}
        for role, name, org_code in USERS:
            email = demo_email(role)
            user = account_services.user_create(
                actor=None,
                email=email,
                full_name=name,
                organisation=orgs[org_code],
                role=role,
                password=DEMO_PASSWORD,
            )
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", key=demo_totp_key(email), confirmed=True
            )
            users[role] = user
        police = orgs["northshire-police"]
        for given, family, dob, state in PEOPLE:
            person = people_services.person_create(
                actor=users[Role.INTAKE_OFFICER],
                given_names=given,
                family_name=family,
                date_of_birth=dob,
            )
            case = case_services.case_open(
                actor=users[Role.INTAKE_OFFICER], person=person, owning_organisation=police
            )
            _place_demo_case(case, state, users, orgs)
        _demo_register_person(users, police)
        _demo_second_supervisor(orgs)
    return {"created": len(PEOPLE) + 1}


def _demo_register_person(users, police) -> None:
    """A fictional person cautioned yesterday, now under notification requirements (register
    app): the initial notification is still to be made."""
    from comeforward.cases.services import case_demo_set_state
    from comeforward.register.services import register_open_for_caution

    person = people_services.person_create(
        actor=users[Role.INTAKE_OFFICER],
        given_names="Quinn",
        family_name="Registered",
        date_of_birth=dt.date(1982, 7, 19),
    )
    case = case_services.case_open(
        actor=users[Role.INTAKE_OFFICER], person=person, owning_organisation=police
    )
    case_services.case_team_add(
        actor=users[Role.SUPERVISOR], case=case, user=users[Role.OFFENDER_MANAGER]
    )
    case_demo_set_state(case=case, state=CaseState.CAUTIONED)
    caution_date = dt.date.today() - dt.timedelta(days=1)
    register_open_for_caution(
        actor=users[Role.OFFENDER_MANAGER],
        case=case,
        caution_date=caution_date,
        offence="CJA1988_S160",
        offence_date=caution_date - dt.timedelta(days=120),
        offender_dob=person.date_of_birth,
        youngest_depicted_age=13,
    )


def _place_demo_case(case, state, users, orgs) -> None:
    """Put a demo case in ``state`` with the team that would be working on it."""
    from comeforward.cases.services import case_demo_set_state

    case_services.case_team_add(
        actor=users[Role.SUPERVISOR], case=case, user=users[Role.INVESTIGATOR]
    )
    # REFERRED too: the examiner is assigned as soon as devices are expected (evidence journey).
    if state in (CaseState.REFERRED, CaseState.DEVICES_RECEIVED, CaseState.FORENSIC_REVIEW):
        case_services.case_team_add(
            actor=users[Role.SUPERVISOR], case=case, user=users[Role.FORENSIC_EXAMINER]
        )
    if state == CaseState.ASSESSMENT:
        case_services.case_partner_grant(
            actor=users[Role.SUPERVISOR],
            case=case,
            organisation=orgs["example-assessment"],
            role=Role.INDEPENDENT_ASSESSOR,
        )
    if state == CaseState.IN_TREATMENT:
        case_services.case_partner_grant(
            actor=users[Role.SUPERVISOR],
            case=case,
            organisation=orgs["example-treatment"],
            role=Role.TREATMENT_PROVIDER,
        )
        case_services.case_team_add(
            actor=users[Role.SUPERVISOR], case=case, user=users[Role.OFFENDER_MANAGER]
        )
    _add_demo_evidence(case, state, users)
    _add_demo_assessment(case, state, users, orgs)
    case_demo_set_state(case=case, state=state)


def _add_demo_evidence(case, state, users) -> None:
    """What a case in ``state`` would already hold: safeguarding screen, exhibit, triage
    result and interview (fictional; the apps' own services, so it is audited as usual)."""
    import io

    from comeforward.exhibits.demo import demo_signature, demo_triage_output
    from comeforward.exhibits.services import examination_import, exhibit_record
    from comeforward.interviews.services import interview_record
    from comeforward.safeguarding.services import safeguarding_screen_record

    order = list(CaseState)
    if order.index(state) < order.index(CaseState.DEVICES_RECEIVED):
        return
    officer, investigator = users[Role.INTAKE_OFFICER], users[Role.INVESTIGATOR]
    safeguarding_screen_record(
        actor=officer,
        case=case,
        children_in_household=False,
        works_with_children=False,
        immediate_risk=False,
        suicide_or_self_harm_risk=False,
        notes="Lives alone; no contact with children reported (demo).",
    )
    exhibit = exhibit_record(
        actor=officer,
        case=case,
        reference="II/1",
        kind="laptop",
        description="Grey laptop (demo)",
        make="Example",
        model="Notebook 14",
        serial_number="DEMO-0001",
        seal_number="DEMO-SEAL-1",
        storage_location="Northshire property store (demo)",
    )
    if order.index(state) < order.index(CaseState.ASSESSMENT):
        return
    report, listing = demo_triage_output(exhibit.reference)
    examination_import(
        actor=users[Role.FORENSIC_EXAMINER],
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=demo_signature(report),
    )
    interview_record(
        actor=investigator,
        case=case,
        held_on=dt.date(2026, 1, 12),
        officer_ids=[investigator.pk],
        admission="full",
        recorded=True,
        recording_reference="DEMO-AV-1",
        offences_admitted=["PCA1978_S1"],
        legal_adviser_present=True,
        narrative="Fictional demo summary of a full admission.",
    )


SECOND_SUPERVISOR_EMAIL = f"supervisor-2@{DEMO_DOMAIN}"


def _demo_second_supervisor(orgs) -> None:
    """A second supervisor: diversions need a second supervisor's approval (decisions app)."""
    user = account_services.user_create(
        actor=None,
        email=SECOND_SUPERVISOR_EMAIL,
        full_name="Sasha Second-Supervisor",
        organisation=orgs["northshire-police"],
        role=Role.SUPERVISOR,
        password=DEMO_PASSWORD,
    )
    TOTPDevice.objects.create(
        user=user,
        name="Demo authenticator",
        key=demo_totp_key(SECOND_SUPERVISOR_EMAIL),
        confirmed=True,
    )


def _add_demo_assessment(case, state, users, orgs) -> None:
    """Cases at the decision stage have a completed (fictional) independent assessment."""
    from comeforward.assessments import services as assessment_services

    if state != CaseState.DECISION:
        return
    assessor = users[Role.INDEPENDENT_ASSESSOR]
    assessment_services.assessment_refer(
        actor=users[Role.SUPERVISOR], case=case, organisation=orgs["example-assessment"]
    )
    assessment_services.conflict_declare(actor=assessor, case=case, has_conflict=False)
    assessment_services.assessment_complete(
        actor=assessor,
        case=case,
        instrument_items={},
        risk_level="low",
        judgement="Fictional demo formulation: low risk.",
        recommendation="suitable",
        treatment_pathway="psychoeducational_group",
        clinical_narrative="Fictional demo clinical narrative.",
    )
