"""Independent assessment: conflict of interest, risk scoring, narrative access, pages."""

from __future__ import annotations

import pytest

from comeforward.assessments import services
from comeforward.assessments.errors import (
    AssessmentNotAllowed,
    ConflictNotDeclared,
    ConflictOfInterest,
    NotAnAssessmentService,
)
from comeforward.assessments.selectors import (
    assessment_facts,
    assessment_for_case,
    assessment_policy_facts,
    narrative_visible,
)
from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.extensions import action_for
from comeforward.cases.services import case_team_add
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory
from ..web.matrix import assert_matrix

pytestmark = pytest.mark.django_db

CASIC = {
    "never_married": False,
    "csem_videos": True,
    "csem_stories": False,
    "interest_two_years_plus": False,
    "volunteered_with_children": False,
    "online_sexual_communication_with_minor": False,
}


@pytest.fixture
def setting(make_user, police_force):
    case = CaseFactory(owning_organisation=police_force, state=CaseState.ASSESSMENT)
    supervisor = make_user(Role.SUPERVISOR)
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    officer = make_user(Role.INVESTIGATOR)
    case_team_add(actor=None, case=case, user=officer)
    services.assessment_refer(actor=supervisor, case=case, organisation=assessor.organisation)
    return case, supervisor, assessor, officer


def complete(assessor, case, **overrides):
    fields = {
        "instrument_items": {"casic": CASIC},
        "risk_level": "low",
        "judgement": "Low risk formulation",
        "recommendation": "suitable",
        "treatment_pathway": "psychoeducational_group",
        "clinical_narrative": "Clinical narrative text",
    } | overrides
    return services.assessment_complete(actor=assessor, case=case, **fields)


def test_refer_only_to_an_assessment_service(setting, police_force):
    case, supervisor, _, _ = setting
    with pytest.raises(NotAnAssessmentService):
        services.assessment_refer(actor=supervisor, case=case, organisation=police_force)


def test_conflict_blocks_completion(setting):
    case, _, assessor, _ = setting
    with pytest.raises(ConflictNotDeclared):
        complete(assessor, case)
    with pytest.raises(ConflictOfInterest):
        services.conflict_declare(actor=assessor, case=case, has_conflict=True, details="")
    services.conflict_declare(actor=assessor, case=case, has_conflict=True, details="Knows him")
    with pytest.raises(ConflictOfInterest) as caught:
        complete(assessor, case)
    assert "another assessor must complete" in caught.value.message
    assert assessment_facts(case) == {"assessment_complete": False}


def test_completed_assessment_scores_instruments_and_hides_the_narrative(setting):
    case, supervisor, assessor, officer = setting
    with pytest.raises(AssessmentNotAllowed):
        services.conflict_declare(actor=officer, case=case, has_conflict=False)
    services.conflict_declare(actor=assessor, case=case, has_conflict=False)
    assessment = complete(assessor, case)
    assert assessment.instrument_results["casic"]["score"] == 1
    assert assessment.instrument_results["casic"]["instrument"] == "casic"
    assert assessment_facts(case) == {"assessment_complete": True}
    assert assessment_policy_facts(case) == {
        "assessment_complete": True,
        "assessed_risk_level": "low",
        "online_sexual_communication_with_minor": False,
    }
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope) == ("collect", "assessment.complete")
    seen = assessment_for_case(officer, case)
    assert narrative_visible(assessor, seen) is True
    assert narrative_visible(officer, seen) is False
    with pytest.raises(AssessmentNotAllowed):
        services.narrative_access_grant(actor=supervisor, case=case)
    services.narrative_access_grant(actor=assessor, case=case)
    assert narrative_visible(officer, seen) is True
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope) == ("disclose", "assessment.narrative_access")


def test_pages_permissions_and_narrative_on_the_case_page(setting, make_user, sign_in):
    case, supervisor, assessor, officer = setting
    users = {role: make_user(role) for role in Role.values}
    users[Role.INDEPENDENT_ASSESSOR] = assessor
    users[Role.INVESTIGATOR] = officer
    users["assessor of another service"] = make_user(
        Role.INDEPENDENT_ASSESSOR,
        organisation=OrganisationFactory(kind=OrganisationType.ASSESSMENT_SERVICE),
    )
    matrix = {
        f"/cases/{case.pk}/assessments/refer": frozenset({Role.SUPERVISOR, Role.INVESTIGATOR}),
        f"/cases/{case.pk}/assessments/conflict": frozenset({Role.INDEPENDENT_ASSESSOR}),
        f"/cases/{case.pk}/assessments/complete": frozenset({Role.INDEPENDENT_ASSESSOR}),
    }
    page_action = {"refer": "refer", "conflict": "declare_conflict", "complete": "complete"}

    def refused_now(user, url):  # the one rule: no declaration yet → back to the case page
        key = f"assessments.{page_action[url.rsplit('/', 1)[1]]}"
        return not action_for(user, case, key).allowed

    assert_matrix(
        matrix, users, sign_in, remember_reason_for=("case", case.pk), refused_now=refused_now
    )
    for label, user in users.items():
        response = sign_in(user).post(f"/cases/{case.pk}/assessments/share-narrative")
        assert response.status_code in (302, 403, 404), label
    services.conflict_declare(actor=assessor, case=case, has_conflict=False)
    complete(assessor, case)
    from ..decisions.test_pages import _with_reason

    html = _with_reason(sign_in(officer), case).get(f"/cases/{case.pk}/").content.decode()
    assert "Not shared with the case team" in html
    assert "Clinical narrative text" not in html
    assert (
        _with_reason(sign_in(assessor), case)
        .post(f"/cases/{case.pk}/assessments/share-narrative")
        .status_code
        == 302
    )
    html = _with_reason(sign_in(officer), case).get(f"/cases/{case.pk}/").content.decode()
    assert "Clinical narrative text" in html
