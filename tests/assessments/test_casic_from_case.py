"""CASIC items the case already records are taken from it, not re-keyed (domain-rules §3.2
design note [D]): volunteering with children from the person record or safeguarding."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.assessments import services
from comeforward.assessments.forms import AssessmentForm
from comeforward.assessments.selectors import CaseItem, casic_items_from_case
from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.people.services import person_occupation_add
from comeforward.roles import Role
from comeforward.safeguarding.services import safeguarding_screen_record

from ..cases.helpers import client_with_reason
from ..factories import CaseFactory

pytestmark = pytest.mark.django_db

PERSON_SOURCE = "person record (an occupation working or volunteering with children)"
CASIC_NO = {
    "never_married": False,
    "csem_videos": True,
    "csem_stories": False,
    "interest_two_years_plus": False,
    "volunteered_with_children": False,  # what the assessor typed: the case says otherwise
    "online_sexual_communication_with_minor": False,
}


@pytest.fixture
def setting(make_user, police_force):
    case = CaseFactory(owning_organisation=police_force, state=CaseState.ASSESSMENT)
    supervisor = make_user(Role.SUPERVISOR)
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    services.assessment_refer(actor=supervisor, case=case, organisation=assessor.organisation)
    services.conflict_declare(actor=assessor, case=case, has_conflict=False)
    return case, supervisor, assessor


def volunteer(case, *, ended_on=None):
    person_occupation_add(
        actor=None,
        person=case.person,
        title="Youth football coach",
        is_volunteering=True,
        works_with_children=True,
        ended_on=ended_on,
    )


def screen(case, actor, *, works_with_children: bool):
    return safeguarding_screen_record(
        actor=actor,
        case=case,
        children_in_household=False,
        works_with_children=works_with_children,
        immediate_risk=False,
        suicide_or_self_harm_risk=False,
    )


def test_nothing_known_nothing_taken(setting):
    case, supervisor, _ = setting
    assert casic_items_from_case(case) == {}
    screen(case, supervisor, works_with_children=False)
    assert casic_items_from_case(case) == {}  # "not now" is not "never": the assessor answers


def test_an_ended_occupation_is_not_taken(setting):
    case, _, _ = setting
    volunteer(case, ended_on=dt.date(2020, 1, 1))
    assert casic_items_from_case(case) == {}


def test_taken_from_the_person_record(setting):
    case, _, _ = setting
    volunteer(case)
    assert casic_items_from_case(case) == {
        "volunteered_with_children": CaseItem(True, PERSON_SOURCE)
    }


def test_taken_from_the_safeguarding_screen(setting):
    case, supervisor, _ = setting
    recorded = screen(case, supervisor, works_with_children=True)
    assert casic_items_from_case(case) == {
        "volunteered_with_children": CaseItem(
            True,
            f"safeguarding screen of {recorded.screened_at:%Y-%m-%d} (works with children)",
        )
    }


def test_service_uses_the_case_over_what_was_typed_and_audits_it(setting):
    case, _, assessor = setting
    volunteer(case)
    assessment = services.assessment_complete(
        actor=assessor,
        case=case,
        instrument_items={"casic": CASIC_NO},
        risk_level="low",
        judgement="Formulation",
        recommendation="suitable",
        treatment_pathway="psychoeducational_group",
        clinical_narrative="Narrative",
    )
    assert assessment.instrument_items["casic"] == CASIC_NO | {"volunteered_with_children": True}
    assert assessment.instrument_results["casic"]["score"] == 2
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.scope == "assessment.complete"
    assert event.details["taken_from_case"] == {"volunteered_with_children": PERSON_SOURCE}


def test_form_shows_the_item_taken_from_the_case_and_ignores_a_typed_value(setting):
    case, _, _ = setting
    volunteer(case)
    from_case = casic_items_from_case(case)
    data = {
        "risk_level": "low",
        "judgement": "J",
        "recommendation": "suitable",
        "treatment_pathway": "none",
        "clinical_narrative": "N",
        "casic__volunteered_with_children": "no",
        "casic__csem_videos": "yes",
    }
    # CASIC scores only with every item known (its missing-item limit is 0): the form says
    # so before the engine would refuse (issue 20.5).
    form = AssessmentForm(data, from_case=from_case)
    assert not form.is_valid()
    assert "Answer every item: CASIC" in form.errors["casic__never_married"][0]
    for key in ("never_married", "csem_stories", "interest_two_years_plus"):
        data[f"casic__{key}"] = "no"
    data["casic__online_sexual_communication_with_minor"] = "no"
    form = AssessmentForm(data, from_case=from_case)
    assert form.is_valid(), form.errors
    assert form.instrument_items()["casic"]["volunteered_with_children"] is True
    field = form.fields["casic__volunteered_with_children"]
    assert field.disabled is True
    assert field.help_text == f"Taken from the case: {PERSON_SOURCE}."


def test_complete_page_marks_the_item_taken_from_the_case(setting, sign_in):
    case, _, assessor = setting
    volunteer(case)
    page = client_with_reason(sign_in, assessor, case).get(f"/cases/{case.pk}/assessments/complete")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Taken from the case: {PERSON_SOURCE}." in html
    assert (
        '<input class="govuk-radios__input" id="id_casic__volunteered_with_children-2" '
        'name="casic__volunteered_with_children" type="radio" value="yes" checked disabled>'
    ) in html
    assert 'name="casic__csem_videos" type="radio" value="yes" disabled' not in html
