"""Every route to children and complete evidence through the recommendation (issue 12.1–12.3;
domain-rules.md §4.7 E3/E7/E9): the most restrictive of every source is evaluated, the
supervisor's answer is never overridden by a less restrictive record, and the recommendation
cites each source."""

from __future__ import annotations

import pytest

from comeforward.decisions import services
from comeforward.decisions.policy_facts import combine_policy_facts
from comeforward.exhibits.services import examination_import, exhibit_record
from comeforward.roles import Role
from comeforward.safeguarding.services import child_access_record, safeguarding_screen_record

from ..exhibits.conftest import triage_key  # noqa: F401 - registers the test signing key
from ..exhibits.triage_files import record, sign, triage_output
from .helpers import ELIGIBLE_CONFIRMED, decision_case

pytestmark = pytest.mark.django_db

NO_CHILDREN = {
    "children_in_household": False,
    "works_with_children": False,
    "immediate_risk": False,
    "suicide_or_self_harm_risk": False,
}


@pytest.fixture(autouse=True)
def _isolated(case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources(
        "Person record (age today)",
        "Safeguarding screen",
        "Children recorded (safeguarding)",
        "Forensic examinations",
    )


@pytest.fixture
def world(make_user, police_force):
    return {
        "supervisor": make_user(Role.SUPERVISOR),
        "officer": make_user(Role.INTAKE_OFFICER),
        "examiner": make_user(Role.FORENSIC_EXAMINER),
        "case": decision_case(police_force),
    }


def _confirmed(**changes):
    confirmed = {k: v for k, v in ELIGIBLE_CONFIRMED.items() if k not in changes} | changes
    return {k: v for k, v in confirmed.items() if v is not None}


def test_supervisor_says_babysits_and_the_screen_says_no_children(world):
    case = world["case"]
    safeguarding_screen_record(actor=world["officer"], case=case, **NO_CHILDREN)
    rec = services.recommendation_create(
        actor=world["supervisor"], case=case, confirmed=_confirmed(access_to_children=True)
    )
    assert rec.facts["access_to_children"] is True
    e9 = rec.result["criteria"][8]
    assert e9["status"] == "unknown"
    assert e9["reason"].startswith(
        "Access to children: a strategy discussion is needed before any eligibility decision."
    )
    assert rec.outcome == "insufficient_information"
    assert rec.fact_sources["access_to_children"] == [
        {"source": "Safeguarding screen", "value": False, "decisive": False},
        {"source": "Confirmed by the supervisor", "value": True, "decisive": True},
    ]
    # A supervisor's "no" never outweighs a recorded child either.
    child_access_record(
        actor=world["officer"],
        case=case,
        age_band="11_to_15",
        relationship="relative",
        access_kind="visits",
        supervised=None,
    )
    rec = services.recommendation_create(
        actor=world["supervisor"], case=case, confirmed=_confirmed(access_to_children=False)
    )
    assert rec.facts["access_to_children"] is True
    assert rec.result["criteria"][8]["status"] != "met"


def test_ungraded_material_on_the_examination_blocks_diversion(world):
    case = world["case"]
    exhibit = exhibit_record(
        actor=world["officer"],
        case=case,
        reference="JS/9",
        kind="phone",
        description="Phone",
        storage_location="Store",
    )
    records = [record(f"DCIM/u{n}.jpg", category="UNCATEGORISED") for n in range(8)] + [
        record(f"DCIM/x{n}.jpg") for n in range(50)
    ]
    import io

    report, listing = triage_output(records, exhibit="JS/9")
    examination_import(
        actor=world["examiner"],
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=sign(report),
    )
    # The supervisor even types 0/0/0 and "examination complete": the records still say 58
    # items are ungraded, so E7 is not an admission-only case.
    rec = services.recommendation_create(
        actor=world["supervisor"], case=case, confirmed=_confirmed(ungraded_item_count=0)
    )
    assert rec.facts["ungraded_item_count"] == 58
    e7 = rec.result["criteria"][6]
    assert e7["status"] == "unknown"
    assert "admission-only" not in e7["reason"]
    assert e7["missing"][0]["fact"] == "ungraded_sample_review_certified"
    assert e7["missing"][0]["supplied_by"] == "forensic examiner"
    assert rec.outcome == "insufficient_information"


def test_decide_page_cites_each_source_and_the_missing_fact(world, sign_in):
    from comeforward.audit.access import remember_reason

    case = world["case"]
    safeguarding_screen_record(actor=world["officer"], case=case, **NO_CHILDREN)
    services.recommendation_create(
        actor=world["supervisor"], case=case, confirmed=_confirmed(access_to_children=True)
    )
    client = sign_in(world["supervisor"])
    session = client.session

    class _R:
        pass

    request = _R()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing")
    session.save()
    page = client.get(f"/cases/{case.pk}/decisions/decide").content.decode()
    assert "Safeguarding screen (No)" in page
    assert "Confirmed by the supervisor (Yes), used" in page
    assert 'data-missing="strategy_discussion_held"' in page
    assert "supplied by the safeguarding officer" in page
    assert (
        "A strategy discussion has been held (needed only with access to children). "
        "Supplied by the safeguarding officer." in page
    )
    form = client.get(f"/cases/{case.pk}/decisions/recommendation").content.decode()
    assert "records say: No — Safeguarding screen" in form


def test_combine_keeps_every_source():
    combined = combine_policy_facts(
        {"access_to_children": [(False, "Safeguarding screen"), (True, "Intake (person record)")]},
        {"access_to_children": False},
    )
    fact = combined["access_to_children"]
    assert fact.value is True
    assert fact.decisive == ["Intake (person record)"]


def test_interview_and_register_period_are_sources(world):
    import datetime as dt

    from comeforward.interviews.extension import interview_policy_facts
    from comeforward.interviews.services import interview_record
    from comeforward.register.extension import RegisterExtension
    from comeforward.register.models import RegisterNotification, RegisterRecord

    case = world["case"]
    officer = world["officer"]
    # decision_case() records a full admission on 12 January 2026 (tests/decisions/helpers.py)
    assert interview_policy_facts(case) == {"admission_recorded": True, "offences": ["PCA1978_S1"]}
    assert RegisterExtension().policy_facts(case) == {}
    from comeforward.cases.services import case_team_add

    case_team_add(actor=None, case=case, user=officer)
    interview_record(
        actor=world["supervisor"],  # who records an interview (interviews/permissions.py)
        case=case,
        held_on=dt.date(2026, 1, 20),  # the latest interview is the one used
        officer_ids=[officer.pk],
        admission="none",
        recorded=True,
        recording_reference="REC-1",
        offences_admitted=[],
        legal_adviser_present=True,
    )
    assert interview_policy_facts(case) == {"admission_recorded": False, "offences": None}
    record = RegisterRecord.objects.create(
        case=case,
        owning_organisation=case.owning_organisation,
        offence="CJA1988_S160",
        offence_date=dt.date(2025, 1, 1),
        offender_dob=dt.date(1980, 1, 1),
        disposal_type="conditional_caution",
        relevant_date=dt.date(2025, 3, 1),
        period_text="2 years",
    )
    RegisterNotification.objects.create(
        record=record, kind="change", date=dt.date(2025, 6, 1), matters=["home_address"]
    )
    assert RegisterExtension().policy_facts(case) == {}
    RegisterNotification.objects.create(
        record=record, kind="child_household", date=dt.date(2025, 7, 1), matters=["child_household"]
    )
    assert RegisterExtension().policy_facts(case) == {"access_to_children": True}
