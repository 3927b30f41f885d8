"""Need-to-know: the role × URL matrix. Any unexpected 200 fails.

Every URL of the service is listed here with the roles allowed to open it; the test signs in
as every role and checks each URL answers 200 only for those roles — and, for a case record,
only for the case's own team, its force's supervisors and partners given access.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from comeforward.accounts.roles import CASEWORK_ROLES, OrganisationType, Role
from comeforward.cases.services import case_partner_grant, case_team_add

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
        "account/users/<int:user_id>/deactivate",
    }
    known = covered | _covered_elsewhere() | {pattern.strip("/") for pattern in NOT_IN_MATRIX}
    missing = [
        pattern
        for pattern in _all_url_patterns()
        if pattern.strip("/") not in known
        and not pattern.startswith(("ask/", "enquiries/"))  # covered in tests/enquiries
    ]
    assert missing == []
