"""Need-to-know: the role × URL matrix. Any unexpected 200 fails.

Every URL of the service is listed here with the roles allowed to open it; the test signs in
as every role and checks each URL answers 200 only for those roles — and, for a case record,
only for the case's own team, its force's supervisors and partners given access.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.roles import CASEWORK_ROLES, OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory
from .matrix import assert_matrix

pytestmark = pytest.mark.django_db

ALL = frozenset(Role.values)
CASEWORK = frozenset(CASEWORK_ROLES)

#: url → roles that may open it (for users with no particular tie to any case).
ROLE_MATRIX: dict[str, frozenset[str]] = {
    "/": ALL,
    "/cases/": CASEWORK,
    "/cases/search?q=Family": CASEWORK,
    "/audit/trail": frozenset({Role.ADMINISTRATOR}),
    "/account/users/": frozenset({Role.ADMINISTRATOR}),
    "/account/users/new": frozenset({Role.ADMINISTRATOR}),
}


def test_role_matrix(make_user, sign_in):
    users = {role: make_user(role) for role in Role.values}
    assert_matrix(ROLE_MATRIX, users, sign_in)


def test_case_record_only_for_team_supervisors_and_partners(make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force)
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    users = {role: make_user(role) for role in Role.values}
    outsiders = {
        f"{role} of another force": make_user(role, organisation=other_force)
        for role in (Role.SUPERVISOR, Role.INVESTIGATOR)
    }
    team_member = users[Role.INVESTIGATOR]
    case_team_add(actor=None, case=case, user=team_member)
    case_partner_grant(
        actor=None,
        case=case,
        organisation=users[Role.INDEPENDENT_ASSESSOR].organisation,
        role=Role.INDEPENDENT_ASSESSOR,
    )
    url = f"/cases/{case.pk}/"
    allowed = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.INDEPENDENT_ASSESSOR}
    assert_matrix(
        {url: frozenset(allowed)}, users | outsiders, sign_in, remember_reason_for=("case", case.pk)
    )


def test_revoked_partner_grant_ends_access(make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force)
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    grant = case_partner_grant(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    from django.utils import timezone

    grant.revoked_at = timezone.now()
    grant.save()
    assert_matrix(
        {f"/cases/{case.pk}/": frozenset()},
        {"assessor": assessor},
        sign_in,
        remember_reason_for=("case", case.pk),
    )


# --- two forces in one database (issue 11: role × URL × organisation) -------------------------


@pytest.fixture
def two_forces(make_user, police_force):
    """Testshire Police (``police_force``) and Otherton Constabulary, each with every police
    role, and a case of each force whose team includes its investigator."""
    other = OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )
    police_roles = [r for r in Role.values if police_force.kind in _kinds(r)]
    forces = {}
    for label, force in (("testshire", police_force), ("otherton", other)):
        users = {role: make_user(role, organisation=force) for role in police_roles}
        case = CaseFactory(owning_organisation=force)
        case_team_add(actor=None, case=case, user=users[Role.INVESTIGATOR])
        forces[label] = {"force": force, "users": users, "case": case}
    return forces


def _kinds(role):
    from comeforward.roles import ROLE_ORGANISATION_TYPES

    return ROLE_ORGANISATION_TYPES[role]


def _labelled(forces):
    return {
        f"{force}:{role}": user
        for force, data in forces.items()
        for role, user in data["users"].items()
    }


def test_two_forces_case_and_person_pages(two_forces, sign_in):
    """Each case and its person page: only the force's own team member and supervisor."""
    users = _labelled(two_forces)
    for force, data in two_forces.items():
        case = data["case"]
        allowed = frozenset({f"{force}:{Role.INVESTIGATOR}", f"{force}:{Role.SUPERVISOR}"})
        assert_matrix(
            {f"/cases/{case.pk}/": allowed, f"/cases/{case.pk}/person": allowed},
            users,
            sign_in,
            remember_reason_for=("case", case.pk),
        )


def test_two_forces_intake_matches(two_forces, sign_in):
    """The intake duplicate check shows each force only its own person; the other force's
    person is reduced to "a cross-force check is needed" (issue 11.1)."""
    from comeforward.people.services import person_identity_update

    people = {}
    for force, data in two_forces.items():
        person = person_identity_update(
            actor=None,
            person=data["case"].person,
            given_names="Alex",
            family_name="Example",
            date_of_birth=dt.date(1984, 3, 14),
        )
        people[force] = person
    post = {
        "given_names": "Alex",
        "family_name": "Example",
        "date_of_birth": "14/3/1984",
        "route": "self_referral",
    }
    failures = []
    for label, user in _labelled(two_forces).items():
        if user.role not in (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR):
            continue
        own, other = label.split(":")[0], next(f for f in two_forces if f != label.split(":")[0])
        html = sign_in(user).post("/cases/intake", post).content.decode()
        if f"(record P{people[own].pk})" not in html:
            failures.append(f"{label}: own force's person not offered")
        if f"P{people[other].pk})" in html or 'value="' + str(people[other].pk) + '"' in html:
            failures.append(f"{label}: other force's person shown")
        if "A cross-force check is needed" not in html:
            failures.append(f"{label}: no cross-force notice")
        response = sign_in(user).post(
            "/cases/intake", {**post, "decision": "checked", "duplicate": str(people[other].pk)}
        )
        if response.status_code != 404:
            failures.append(f"{label}: other force's person attachable ({response.status_code})")
    assert not failures, "\n".join(failures)


def test_two_forces_enquiries(two_forces, sign_in, settings):
    """An enquiry made to one force is read only by that force's responders (issue 11.8)."""
    import secrets
    import time

    from comeforward.enquiries import abuse
    from comeforward.enquiries import services as enquiry_services
    from comeforward.enquiries.notice import NOTICE_VERSION

    enquiries = {}
    for force, data in two_forces.items():
        settings.ENQUIRY_FORCE = data["force"].code
        token = abuse.FormToken(NOTICE_VERSION, time.time() - 60, secrets.token_urlsafe(8))
        enquiries[force] = enquiry_services.enquiry_open(
            message="What happens next?", form_token=token
        ).enquiry
    users = _labelled(two_forces)
    for force, enquiry in enquiries.items():
        allowed = frozenset({f"{force}:{Role.INTAKE_OFFICER}", f"{force}:{Role.SUPERVISOR}"})
        assert_matrix(
            {f"/enquiries/{enquiry.pk}/": allowed},
            users,
            sign_in,
            remember_reason_for=("enquiry", enquiry.pk),
        )


def test_two_forces_documents(two_forces, sign_in):
    """A document of one force's case: only that force's team and supervisors, and only
    roles that may read the document's own kind (issue 11.8)."""
    from comeforward.documents.models import Document

    users = _labelled(two_forces)
    for force, data in two_forces.items():
        case = data["case"]
        case_team_add(actor=None, case=case, user=data["users"][Role.OFFENDER_MANAGER])
        document = Document.objects.create(
            case=case,
            kind="decision_record",
            title="Decision record",
            content=b"%PDF-1.7 synthetic",
            sha256="0" * 64,
            size=18,
            justification="Test",
            generated_by=data["users"][Role.SUPERVISOR],
        )
        # The offender manager is on the team and may make caution records, but not read a
        # decision record.
        allowed = frozenset({f"{force}:{Role.INVESTIGATOR}", f"{force}:{Role.SUPERVISOR}"})
        assert_matrix(
            {f"/cases/{case.pk}/documents/{document.pk}.pdf": allowed},
            users,
            sign_in,
            remember_reason_for=("case", case.pk),
        )


def test_two_forces_administrators_manage_only_their_own_organisation(two_forces, sign_in):
    """Administrators list, open, deactivate, reactivate and reset only their own
    organisation's accounts, never their own (issue 11.7, 20.7)."""
    users = _labelled(two_forces)
    failures = []
    for force, data in two_forces.items():
        admin = data["users"][Role.ADMINISTRATOR]
        other = next(f for f in two_forces if f != force)
        client = sign_in(admin)
        listing = client.get("/account/users/").content.decode()
        for label, user in users.items():
            shown = user.email in listing
            if shown != label.startswith(force + ":"):
                failures.append(f"{force} admin list: {label} shown={shown}")
        targets = {
            "own": data["users"][Role.INVESTIGATOR],
            "other": two_forces[other]["users"][Role.INVESTIGATOR],
            "self": admin,
        }
        for kind, target in targets.items():
            for action in ("", "deactivate", "reactivate", "mfa-reset"):
                status = client.get(f"/account/users/{target.pk}/{action}").status_code
                expected = 200 if kind == "own" else 404
                if status != expected:
                    failures.append(f"{force} admin {action or 'detail'} {kind}: {status}")
            if kind == "own":
                continue  # deactivating one's own organisation's account: tests/accounts
            status = client.post(
                f"/account/users/{target.pk}/deactivate", {"reason": "Test"}
            ).status_code
            if status != 404:
                failures.append(f"{force} admin POST deactivate {kind}: {status}")
            target.refresh_from_db()
            if not target.is_active:
                failures.append(f"{force} admin deactivated {kind}")
    assert not failures, "\n".join(failures)


def _all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


#: URLs that are public, part of signing in, or checked by their own tests.
NOT_IN_MATRIX = {
    "",
    "healthz",
    "account/sign-in",
    "account/sign-out",
    "account/mfa/",
    "account/mfa/setup",
    "audit/reason",
    "^static/(?P<path>.*)$",
}


def _covered_elsewhere() -> set[str]:
    """URL patterns that each app's tests declare in ``tests/<app>/url_matrix.py``
    (``COVERED = {...}``), next to the permission-matrix test that checks them."""
    import importlib.util
    from pathlib import Path

    covered: set[str] = set()
    for path in Path(__file__).resolve().parents[1].glob("*/url_matrix.py"):
        spec = importlib.util.spec_from_file_location(f"url_matrix_{path.parent.name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        covered |= {pattern.strip("/") for pattern in module.COVERED}
    return covered


def test_every_url_is_in_a_matrix():
    """A new URL must be added to a permission matrix (or to the public list) to pass."""
    covered = {path.split("?")[0].strip("/") for path in ROLE_MATRIX} | {
        # test_two_forces_administrators_manage_only_their_own_organisation
        "account/users/<int:user_id>",
        "account/users/<int:user_id>/deactivate",
        "account/users/<int:user_id>/reactivate",
        "account/users/<int:user_id>/mfa-reset",
    }
    known = covered | _covered_elsewhere() | {pattern.strip("/") for pattern in NOT_IN_MATRIX}
    missing = [
        pattern
        for pattern in _all_url_patterns()
        if pattern.strip("/") not in known
        and not pattern.startswith(("ask/", "enquiries/"))  # covered in tests/enquiries
    ]
    assert missing == []
