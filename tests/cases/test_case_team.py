"""The case team page: a supervisor allocates officers of the force to a case opened at intake
(need-to-know, ARCHITECTURE.md §5). Found missing by the scheme journeys (tests/e2e)."""

from __future__ import annotations

import pytest
from django.http import Http404

from comeforward.audit.access import remember_reason
from comeforward.audit.models import AuditEvent
from comeforward.cases.selectors import case_get_for_user, case_team_candidates
from comeforward.cases.services import case_team_add
from comeforward.roles import Role

from ..factories import CaseFactory, OrganisationFactory
from ..web.matrix import assert_matrix
from .helpers import client_with_reason

pytestmark = pytest.mark.django_db


def _with_reason(client, case):
    session = client.session

    class _R:
        pass

    request = _R()
    request.session = session
    remember_reason(request, "case", case.pk, "Supervisory review or decision")
    session.save()
    return client


def test_only_supervisors_of_the_force_open_the_team_page(make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force)
    users = {role: make_user(role) for role in (Role.SUPERVISOR, Role.INVESTIGATOR)}
    users["intake_on_team"] = make_user(Role.INTAKE_OFFICER)
    case_team_add(actor=None, case=case, user=users["intake_on_team"])
    other_force = OrganisationFactory(code="otherforce", name="Other Police")
    users["other_supervisor"] = make_user(Role.SUPERVISOR, organisation=other_force)
    users["assessor"] = make_user(Role.INDEPENDENT_ASSESSOR)
    assert_matrix(
        {f"/cases/{case.pk}/team": frozenset({Role.SUPERVISOR})},
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_supervisor_adds_an_investigator_who_then_sees_the_case(make_user, sign_in, police_force):
    supervisor = make_user(Role.SUPERVISOR, full_name="Sue Supervisor")
    investigator = make_user(Role.INVESTIGATOR, full_name="Ian Investigator")
    examiner = make_user(Role.FORENSIC_EXAMINER, full_name="Fay Forensic")
    make_user(Role.ANALYST, full_name="Andy Analyst")  # never offered: not casework
    outsider = make_user(
        Role.INVESTIGATOR,
        organisation=OrganisationFactory(code="elsewhere", name="Elsewhere Police"),
    )
    case = CaseFactory(owning_organisation=police_force)
    client = _with_reason(sign_in(supervisor), case)

    page = client.get(f"/cases/{case.pk}/team").content.decode()
    assert "Ian Investigator (Investigator)" in page
    assert "Fay Forensic (Digital forensic examiner)" in page
    assert "Andy Analyst" not in page
    assert outsider.full_name not in page

    response = client.post(f"/cases/{case.pk}/team", {"user": str(investigator.pk)})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/team"
    assert case_get_for_user(investigator, case_id=case.pk) == case
    assert [u.pk for u in case_team_candidates(case)] == [examiner.pk]
    event = AuditEvent.objects.get(scope="case.team", operation="alter")
    assert (event.actor_id, event.subject_id, event.details) == (
        supervisor.pk,
        str(case.pk),
        {"added_user": investigator.pk},
    )


def test_a_user_not_offered_cannot_be_added(make_user, sign_in, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    outsider = make_user(
        Role.INVESTIGATOR,
        organisation=OrganisationFactory(code="elsewhere", name="Elsewhere Police"),
    )
    case = CaseFactory(owning_organisation=police_force)
    client = _with_reason(sign_in(supervisor), case)
    response = client.post(f"/cases/{case.pk}/team", {"user": str(outsider.pk)})
    assert response.status_code == 200
    assert "Select one of the options listed for: Who should join the case team?" in (
        response.content.decode()
    )
    assert not AuditEvent.objects.filter(scope="case.team", operation="alter").exists()


def test_case_page_links_to_the_team_for_supervisors_only(make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force)
    investigator = make_user(Role.INVESTIGATOR)
    case_team_add(actor=None, case=case, user=investigator)
    supervisor_page = _with_reason(sign_in(make_user(Role.SUPERVISOR)), case).get(
        f"/cases/{case.pk}/"
    )
    investigator_page = _with_reason(sign_in(investigator), case).get(f"/cases/{case.pk}/")
    assert "Case team: who works on this case" in supervisor_page.content.decode()
    assert "Case team: who works on this case" not in investigator_page.content.decode()


# --- partner access and team changes (issue 11.7) -------------------------------------------


def test_re_referral_gives_no_second_grant(make_user, police_force):
    from comeforward.cases.models import PartnerGrant
    from comeforward.cases.services import case_partner_grant

    case = CaseFactory(owning_organisation=police_force)
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    first = case_partner_grant(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    again = case_partner_grant(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    assert again.pk == first.pk
    assert PartnerGrant.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(scope="case.partner_access").count() == 1


def test_supervisor_ends_partner_access_with_a_reason(make_user, sign_in, police_force):
    from comeforward.cases.models import PartnerGrant
    from comeforward.cases.services import case_partner_grant

    case = CaseFactory(owning_organisation=police_force)
    supervisor = make_user(Role.SUPERVISOR)
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    grant = case_partner_grant(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    assert case_get_for_user(assessor, case_id=case.pk) == case
    client = _with_reason(sign_in(supervisor), case)
    page = client.get(f"/cases/{case.pk}/team").content.decode()
    assert f"/cases/{case.pk}/partners/{grant.pk}/revoke" in page
    url = f"/cases/{case.pk}/partners/{grant.pk}/revoke"
    refused = client.post(url, {"reason": ""})
    assert "Enter why the access is being ended" in refused.content.decode()
    assert PartnerGrant.objects.get().revoked_at is None
    response = client.post(url, {"reason": "Assessment complete"})
    assert response["Location"] == f"/cases/{case.pk}/team"
    assert PartnerGrant.objects.get().revoked_at is not None
    event = AuditEvent.objects.filter(scope="case.partner_access").latest("seq")
    assert (event.operation, event.actor_id, event.justification) == (
        "alter",
        supervisor.pk,
        "Assessment complete",
    )
    assert event.details == {
        "revoked_grant": grant.pk,
        "organisation": assessor.organisation.code,
        "role": "independent_assessor",
    }
    with pytest.raises(Http404):
        case_get_for_user(assessor, case_id=case.pk)
    assert client.get(url).status_code == 404  # already ended
    # Referred again: a fresh grant, access back.
    from comeforward.cases.services import case_partner_grant as grant_again

    grant_again(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    assert case_get_for_user(assessor, case_id=case.pk) == case


def test_only_the_forces_supervisors_end_access_or_remove_members(make_user, sign_in, police_force):
    from comeforward.cases.services import case_partner_grant

    case = CaseFactory(owning_organisation=police_force)
    member = make_user(Role.INVESTIGATOR)
    case_team_add(actor=None, case=case, user=member)
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    grant = case_partner_grant(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    other_force = OrganisationFactory(code="otherforce", name="Other Police")
    users = {
        "supervisor": make_user(Role.SUPERVISOR),
        "member": member,
        "assessor": assessor,
        "other_supervisor": make_user(Role.SUPERVISOR, organisation=other_force),
    }
    revoke = f"/cases/{case.pk}/partners/{grant.pk}/revoke"
    assert_matrix(
        {revoke: frozenset({"supervisor"})}, users, sign_in, remember_reason_for=("case", case.pk)
    )
    remove = f"/cases/{case.pk}/team/{member.pk}/remove"
    for label in ("member", "assessor", "other_supervisor"):
        assert sign_in(users[label]).post(remove).status_code in (403, 404), label
    assert sign_in(users["supervisor"]).get(remove).status_code == 405


def test_supervisor_removes_a_team_member_who_then_loses_access(make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force)
    supervisor = make_user(Role.SUPERVISOR)
    member = make_user(Role.INVESTIGATOR)
    case_team_add(actor=None, case=case, user=member)
    assert case_get_for_user(member, case_id=case.pk) == case
    client = client_with_reason(sign_in, supervisor, case)
    response = client.post(f"/cases/{case.pk}/team/{member.pk}/remove")
    assert response["Location"] == f"/cases/{case.pk}/team"
    with pytest.raises(Http404):
        case_get_for_user(member, case_id=case.pk)
    event = AuditEvent.objects.filter(scope="case.team").latest("seq")
    assert (event.operation, event.actor_id, event.details) == (
        "alter",
        supervisor.pk,
        {"removed_user": member.pk, "reason": ""},
    )
    again = client.post(f"/cases/{case.pk}/team/{member.pk}/remove")
    assert again.status_code == 404
