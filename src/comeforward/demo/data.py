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
from comeforward.accounts.roles import OrganisationType, Role
from comeforward.cases import services as case_services
from comeforward.cases.domain.states import CaseState
from comeforward.people import services as people_services

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
    return {"created": len(PEOPLE)}


def _place_demo_case(case, state, users, orgs) -> None:
    """Put a demo case in ``state`` with the team that would be working on it."""
    from comeforward.cases.services import case_demo_set_state

    case_services.case_team_add(
        actor=users[Role.SUPERVISOR], case=case, user=users[Role.INVESTIGATOR]
    )
    if state in (CaseState.DEVICES_RECEIVED, CaseState.FORENSIC_REVIEW):
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
    case_demo_set_state(case=case, state=state)
