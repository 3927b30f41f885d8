"""Interviews under caution: the E2 rule, the service, the page and the police-only narrative."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.interviews.errors import InterviewInvalid, OfficerNotOnCase
from comeforward.interviews.models import Interview
from comeforward.interviews.rules import admission_recorded
from comeforward.interviews.selectors import interviews_facts
from comeforward.interviews.services import interview_record
from comeforward.roles import OrganisationType, Role

from ..factories import CaseFactory, OrganisationFactory
from ..web.matrix import assert_matrix


@pytest.mark.parametrize(
    ("admission", "recorded", "reference", "expected"),
    [
        ("full", True, "AV-1", True),
        ("full", True, "  ", False),
        ("full", False, "AV-1", False),
        ("partial", True, "AV-1", False),
        ("none", True, "AV-1", False),
    ],
)
def test_admission_recorded_rule(admission, recorded, reference, expected):
    assert (
        admission_recorded(admission=admission, recorded=recorded, recording_reference=reference)
        is expected
    )


@pytest.fixture
def world(db, make_user, police_force):
    case = CaseFactory(owning_organisation=police_force)
    users = {role: make_user(role) for role in Role.values}
    for role in (Role.INTAKE_OFFICER, Role.INVESTIGATOR):
        case_team_add(actor=None, case=case, user=users[role])
    for role in (Role.INDEPENDENT_ASSESSOR, Role.TREATMENT_PROVIDER):
        case_partner_grant(actor=None, case=case, organisation=users[role].organisation, role=role)
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    users["investigator of another force"] = make_user(Role.INVESTIGATOR, organisation=other_force)
    return case, users


def _record(case, users, **overrides):
    fields = {
        "held_on": timezone.localdate(),
        "officer_ids": [users[Role.INVESTIGATOR].pk, users[Role.INTAKE_OFFICER].pk],
        "admission": "full",
        "recorded": True,
        "recording_reference": "AV-2026-17",
        "offences_admitted": ["CJA1988_S160", "PCA1978_S1"],
        "legal_adviser_present": True,
        "narrative": "Admitted downloading images over two years",
    } | overrides
    return interview_record(actor=users[Role.INVESTIGATOR], case=case, **fields)


def test_record_full_admission(world):
    case, users = world
    assert interviews_facts(case) == {"admission_recorded": False, "interview_recorded": False}
    interview = _record(case, users)
    assert interview.admission_recorded is True
    assert set(interview.officers_present.all()) == {
        users[Role.INVESTIGATOR],
        users[Role.INTAKE_OFFICER],
    }
    assert interview.offences_admitted == ["CJA1988_S160", "PCA1978_S1"]
    assert interviews_facts(case) == {"admission_recorded": True, "interview_recorded": True}
    audit = AuditEvent.objects.get(scope="case.interview")
    assert (audit.operation, audit.details) == (
        "collect",
        {
            "interview": interview.pk,
            "admission": "full",
            "offences": ["CJA1988_S160", "PCA1978_S1"],
            "admission_recorded": True,
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM interviews_interview WHERE id=%s", [interview.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAA") and "downloading" not in stored


def test_partial_admission_is_not_an_admission_but_the_interview_is_recorded(world):
    """The workflow moves on (the interview is recorded); the policy decides (E2)."""
    case, users = world
    _record(case, users, admission="partial")
    assert interviews_facts(case) == {"admission_recorded": False, "interview_recorded": True}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": dt.date(2999, 1, 1)}, "held_on"),
        ({"officer_ids": []}, "officer_ids"),
        ({"offences_admitted": []}, "offences_admitted"),
        ({"recording_reference": ""}, "recording_reference"),
    ],
)
def test_invalid_interview_refused(world, overrides, field):
    case, users = world
    with pytest.raises(InterviewInvalid) as error:
        _record(case, users, **overrides)
    assert list(error.value.details) == [field]
    assert Interview.objects.count() == 0


def test_officers_must_be_police_on_the_team(world):
    case, users = world
    for outsider in (users[Role.SUPERVISOR], users[Role.INDEPENDENT_ASSESSOR]):
        with pytest.raises(OfficerNotOnCase) as error:
            _record(case, users, officer_ids=[outsider.pk])
        assert error.value.code == "INTERVIEW_OFFICER_NOT_ON_CASE"
    assert Interview.objects.count() == 0


def test_permission_matrix(world, sign_in):
    case, users = world
    assert_matrix(
        {f"/cases/{case.pk}/interviews/new": frozenset({Role.INVESTIGATOR, Role.SUPERVISOR})},
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_recording_through_the_form(world, case_client):
    case, users = world
    client = case_client(users[Role.INVESTIGATOR], case)
    url = f"/cases/{case.pk}/interviews/new"
    page = client.get(url).content.decode()
    assert users[Role.INTAKE_OFFICER].full_name in page  # offered as an officer present
    assert users[Role.TREATMENT_PROVIDER].full_name not in page
    form = {
        "held_on": timezone.localdate().isoformat(),
        "officer_ids": [str(users[Role.INVESTIGATOR].pk)],
        "admission": "full",
        "offences_admitted": ["CJA1988_S160"],
        "recorded": "yes",
        "recording_reference": "",
        "legal_adviser_present": "no",
        "narrative": "Admitted possession",
    }
    invalid = client.post(url, form)
    assert "Enter the reference of the recording" in invalid.content.decode()
    response = client.post(url, form | {"recording_reference": "AV-9"})
    assert response["Location"] == f"/cases/{case.pk}/"
    interview = Interview.objects.get(case=case)
    assert (interview.recording_reference, interview.legal_adviser_present) == ("AV-9", False)


@pytest.mark.parametrize(
    ("role", "sees_panel", "sees_narrative"),
    [
        (Role.INVESTIGATOR, True, True),
        (Role.INTAKE_OFFICER, True, True),
        (Role.SUPERVISOR, True, True),
        (Role.INDEPENDENT_ASSESSOR, True, False),
        (Role.TREATMENT_PROVIDER, False, False),
    ],
)
def test_narrative_is_police_only(world, case_client, role, sees_panel, sees_narrative):
    case, users = world
    _record(case, users)
    page = case_client(users[role], case).get(f"/cases/{case.pk}/").content.decode()
    assert ('id="panel-interviews"' in page) is sees_panel
    assert ("Admitted downloading images over two years" in page) is sees_narrative


def test_offences_are_law_engine_values_and_anything_else_is_refused(world):
    """Issue 20.3: an interview records ``comeforward.law.Offence`` values (the caution and the
    register take them as they are); an old or unknown code is refused with a stable code."""
    from comeforward.errors import DomainError
    from comeforward.law import Offence

    case, users = world
    interview = _record(case, users, offences_admitted=["CJA2009_S62"])
    assert interview.offences_admitted == [Offence.CJA2009_S62.value]
    for bad in (["pca_1978_s1"], ["CEMA1979_S170"], ["PCA1978_S1", "nonsense"]):
        with pytest.raises(DomainError) as caught:
            _record(case, users, offences_admitted=bad)
        assert caught.value.code == "INTERVIEW_INVALID"
        assert "offences_admitted" in caught.value.details
    assert case.interviews.count() == 1


def test_old_interview_codes_are_migrated_to_law_values(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("comeforward.interviews.migrations.0002_offences_as_law_codes")
    case, users = world
    interview = _record(case, users)
    type(interview).objects.filter(pk=interview.pk).update(
        offences_admitted=["pca_1978_s1", "cja_1988_s160"]
    )
    migration._convert(migration.FORWARD)(apps, None)
    interview.refresh_from_db()
    assert interview.offences_admitted == ["CJA1988_S160", "PCA1978_S1"]
    migration._convert(migration.BACKWARD)(apps, None)
    interview.refresh_from_db()
    assert interview.offences_admitted == ["cja_1988_s160", "pca_1978_s1"]
