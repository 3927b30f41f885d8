"""One source of permissions for the independent assessment (issue 19.2; docs/extensions.md):
at each stage the case page's assessment links are exactly what ``assessment_actions`` allows,
and the view and the service both refuse what it refuses, writing nothing."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from comeforward.assessments import services
from comeforward.assessments.models import Assessment, ConflictDeclaration, NarrativeAccess
from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.extensions import extension
from comeforward.cases.services import case_team_add
from comeforward.errors import DomainError
from comeforward.roles import Role

from ..cases.helpers import client_with_reason
from ..factories import CaseFactory
from .test_assessments import complete

pytestmark = pytest.mark.django_db

#: The page each action's link (or button) opens, under /cases/<id>/assessments/.
LINK = {
    "refer": "refer",
    "declare_conflict": "conflict",
    "complete": "complete",
    "share_narrative": "share-narrative",
}
STAGES = ["referred", "declared", "conflicted", "complete", "shared"]


def _written():
    return (
        AuditEvent.objects.count(),
        ConflictDeclaration.objects.count(),
        Assessment.objects.count(),
        NarrativeAccess.objects.count(),
    )


def _attempt(verb, actor, case, assessor):
    return {
        "refer": lambda: services.assessment_refer(
            actor=actor, case=case, organisation=assessor.organisation
        ),
        "declare_conflict": lambda: services.conflict_declare(
            actor=actor, case=case, has_conflict=False
        ),
        "complete": lambda: complete(actor, case),
        "share_narrative": lambda: services.narrative_access_grant(actor=actor, case=case),
    }[verb]


def test_the_rule_by_role_and_stage(make_user, police_force):
    """The matrix itself: who may do what at each stage."""
    case = CaseFactory(owning_organisation=police_force, state=CaseState.ASSESSMENT)
    supervisor, investigator = make_user(Role.SUPERVISOR), make_user(Role.INVESTIGATOR)
    assessor, manager = make_user(Role.INDEPENDENT_ASSESSOR), make_user(Role.OFFENDER_MANAGER)
    services.assessment_refer(actor=supervisor, case=case, organisation=assessor.organisation)
    expected = {
        "referred": {
            "supervisor": {"refer"},
            "investigator": {"refer"},
            "assessor": {"declare_conflict"},
        },
        "declared": {"supervisor": {"refer"}, "investigator": {"refer"}, "assessor": {"complete"}},
        "complete": {"assessor": {"share_narrative"}},
        "shared": {},
    }
    people = {
        "supervisor": supervisor,
        "investigator": investigator,
        "assessor": assessor,
        "offender manager": manager,
    }
    rule = extension("assessments")
    for stage, allowed in expected.items():
        if stage == "declared":
            services.conflict_declare(actor=assessor, case=case, has_conflict=False)
        elif stage == "complete":
            complete(assessor, case)
        elif stage == "shared":
            services.narrative_access_grant(actor=assessor, case=case)
        for label, user in people.items():
            now = {a.key.split(".", 1)[1] for a in rule.allowed_actions(user, case) if a}
            assert now == allowed.get(label, set()), (stage, label)


def _stage(stage, case, assessor):
    if stage in ("declared", "complete", "shared"):
        services.conflict_declare(actor=assessor, case=case, has_conflict=False)
    if stage == "conflicted":
        services.conflict_declare(actor=assessor, case=case, has_conflict=True, details="Knows")
    if stage in ("complete", "shared"):
        complete(assessor, case)
    if stage == "shared":
        services.narrative_access_grant(actor=assessor, case=case)


@pytest.mark.parametrize("stage", STAGES)
def test_links_views_and_services_agree(stage, make_user, sign_in, police_force):
    case = CaseFactory(owning_organisation=police_force, state=CaseState.ASSESSMENT)
    supervisor, investigator = make_user(Role.SUPERVISOR), make_user(Role.INVESTIGATOR)
    assessor, manager = make_user(Role.INDEPENDENT_ASSESSOR), make_user(Role.OFFENDER_MANAGER)
    for member in (investigator, manager):
        case_team_add(actor=None, case=case, user=member)
    services.assessment_refer(actor=supervisor, case=case, organisation=assessor.organisation)
    _stage(stage, case, assessor)
    rule = extension("assessments")
    for user in (supervisor, investigator, assessor, manager):
        actions = {a.key.split(".", 1)[1]: a for a in rule.allowed_actions(user, case)}
        assert set(actions) == set(LINK)
        client = client_with_reason(sign_in, user, case)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        shown = set(re.findall(rf'(?:href|action)="/cases/{case.pk}/assessments/([^"]+)"', page))
        assert shown == {LINK[v] for v, a in actions.items() if a.allowed}, (stage, user.role)
        for verb, action in actions.items():
            if action.allowed:
                continue
            assert action.reason, (stage, user.role, verb)
            before = _written()
            with transaction.atomic(), pytest.raises(DomainError) as refused:
                _attempt(verb, user, case, assessor)()
            assert refused.value.code, (stage, user.role, verb)
            assert _written() == before, (stage, user.role, verb)
            url = f"/cases/{case.pk}/assessments/{LINK[verb]}"
            response = client.post(url) if verb == "share_narrative" else client.get(url)
            assert response.status_code in (302, 403), (stage, user.role, verb)
            if response.status_code == 302:
                assert response.url == f"/cases/{case.pk}/", (stage, user.role, verb)
            assert _written()[1:] == before[1:], (stage, user.role, verb)
