"""The statistics app's part of a case (statistics/extension.py): equality monitoring and
follow-up events recorded from the case page, the one permission rule (permissions.py) read by
the page's links, the views and the services alike, and ethnicity/disability encrypted at rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from comeforward.audit.models import AuditEvent
from comeforward.cases.extensions import ActionNotAllowed, actions_for
from comeforward.cases.services import case_team_add
from comeforward.encryption.fields import TOKEN_PREFIX
from comeforward.roles import OrganisationType, Role
from comeforward.statistics import permissions, selectors, services
from comeforward.statistics.errors import EqualityMonitoringInvalid
from comeforward.statistics.models import EqualityMonitoring, FollowUpEvent
from tests.cases.helpers import client_with_reason
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CASEWORKERS = {Role.SUPERVISOR, Role.OFFENDER_MANAGER, Role.INVESTIGATOR}


@pytest.fixture
def case(police_force):
    return CaseFactory(
        owning_organisation=police_force,
        person=PersonFactory(date_of_birth=dt.date(1990, 6, 1)),
        created_at=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC),
    )


@pytest.fixture
def other_force_supervisor(make_user):
    other = OrganisationFactory(
        name="Elsewhere Police", code="elsewhere-police", kind=OrganisationType.POLICE_FORCE
    )
    return make_user(Role.SUPERVISOR, organisation=other)


def _on_team(user, case):
    case_team_add(actor=None, case=case, user=user)
    return user


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_rule_allows_only_caseworkers_of_the_owning_force(role, make_user, case):
    user = make_user(role)
    actions = actions_for(user, case)
    same_force = user.organisation_id == case.owning_organisation_id
    expected = role in CASEWORKERS and same_force
    # The intake officer also asks the equality questions (at intake): that action only.
    asks = (role in CASEWORKERS or role == Role.INTAKE_OFFICER) and same_force
    assert bool(actions[permissions.EQUALITY_RECORD]) is asks
    assert bool(actions[permissions.FOLLOW_UP_RECORD]) is expected


def test_the_rule_refuses_another_forces_supervisor(other_force_supervisor, case):
    actions = actions_for(other_force_supervisor, case)
    assert not actions[permissions.EQUALITY_RECORD]
    assert "force that owns the case" in actions[permissions.EQUALITY_RECORD].reason


# --- services ------------------------------------------------------------------------------


def test_equality_record_saves_encrypts_and_audits(make_user, case):
    supervisor = make_user(Role.SUPERVISOR)
    record = services.equality_record(
        actor=supervisor, case=case, sex="male", ethnicity="black", disability="yes"
    )
    record.refresh_from_db()
    assert (record.sex, record.ethnicity, record.disability) == ("male", "black", "yes")
    assert record.recorded_by == supervisor
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ethnicity, disability FROM statistics_equalitymonitoring WHERE id = %s",
            [record.pk],
        )
        ethnicity, disability = cursor.fetchone()
    assert ethnicity.startswith(TOKEN_PREFIX) and disability.startswith(TOKEN_PREFIX)
    audit = AuditEvent.objects.get(scope="statistics.equality_monitoring")
    assert (audit.operation, audit.subject_ref) == ("collect", case.reference)
    assert audit.details["recorded"] == ["disability", "ethnicity", "sex"]
    assert "black" not in str(audit.details)  # the values stay out of the audit trail

    # an update replaces the answers (one record per person) and is audited as an alteration
    services.equality_record(actor=supervisor, case=case, ethnicity="prefer_not_to_say")
    record = EqualityMonitoring.objects.get(person=case.person)
    assert (record.sex, record.ethnicity, record.disability) == ("", "prefer_not_to_say", "")
    assert AuditEvent.objects.filter(scope="statistics.equality_monitoring").count() == 2
    assert (
        AuditEvent.objects.filter(scope="statistics.equality_monitoring")
        .order_by("-pk")
        .first()
        .operation
        == "alter"
    )


def test_equality_record_refuses_unknown_answers_and_changes_nothing(make_user, case):
    with pytest.raises(EqualityMonitoringInvalid) as refused:
        services.equality_record(actor=make_user(Role.SUPERVISOR), case=case, ethnicity="martian")
    assert refused.value.code == "EQUALITY_MONITORING_INVALID"
    assert refused.value.details["fields"] == {"ethnicity": "Choose one of the options"}
    assert not EqualityMonitoring.objects.exists()
    assert not AuditEvent.objects.filter(scope="statistics.equality_monitoring").exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.INTAKE_OFFICER, Role.TREATMENT_PROVIDER])
def test_services_refuse_users_the_rule_refuses(role, make_user, case):
    user = make_user(role)
    if role == Role.INTAKE_OFFICER:  # records the equality answers (at intake), not follow-up
        services.equality_record(actor=user, case=case, sex="male")
        EqualityMonitoring.objects.all().delete()
    else:
        with pytest.raises(ActionNotAllowed):
            services.equality_record(actor=user, case=case, sex="male")
    with pytest.raises(ActionNotAllowed):
        services.follow_up_event_record(
            actor=user, case=case, kind="rearrest", date=dt.date(2026, 6, 1)
        )
    assert not EqualityMonitoring.objects.exists() and not FollowUpEvent.objects.exists()


def test_services_refuse_another_forces_supervisor(other_force_supervisor, case):
    with pytest.raises(ActionNotAllowed):
        services.equality_record(actor=other_force_supervisor, case=case, sex="male")
    with pytest.raises(ActionNotAllowed):
        services.follow_up_event_record(
            actor=other_force_supervisor, case=case, kind="rearrest", date=dt.date(2026, 6, 1)
        )
    assert not EqualityMonitoring.objects.exists() and not FollowUpEvent.objects.exists()


def test_age_band_is_derived_from_the_date_of_birth(case):
    assert selectors.person_age_band(case) == "35–44"  # 35 on 2 March 2026
    case.person.date_of_birth = None
    assert selectors.person_age_band(case) == "Not recorded"


# --- pages ---------------------------------------------------------------------------------


def _url(case, page):
    return f"/cases/{case.pk}/statistics/{page}"


@pytest.mark.parametrize("role", sorted(Role.values))
def test_view_permission_matrix(role, make_user, sign_in, case):
    user = make_user(role)
    if user.organisation_id == case.owning_organisation_id:
        _on_team(user, case)
    client = client_with_reason(sign_in, user, case)
    askers = CASEWORKERS | {Role.INTAKE_OFFICER}
    for page, allowed in (("equality", askers), ("follow-up", CASEWORKERS)):
        response = client.get(_url(case, page))
        if role in allowed:
            assert response.status_code == 200, (role, page)
        else:
            assert response.status_code in (403, 404), (role, page)
    posted = client.post(_url(case, "equality"), {"sex": "female"})
    assert EqualityMonitoring.objects.exists() is (role in askers)
    if role not in askers:
        assert posted.status_code in (403, 404)


def test_another_forces_supervisor_cannot_reach_the_pages(other_force_supervisor, sign_in, case):
    client = client_with_reason(sign_in, other_force_supervisor, case)
    for page in ("equality", "follow-up"):
        assert client.get(_url(case, page)).status_code == 404
    client.post(_url(case, "equality"), {"sex": "female"})
    client.post(_url(case, "follow-up"), {"kind": "rearrest", "date": "2026-06-01"})
    assert not EqualityMonitoring.objects.exists() and not FollowUpEvent.objects.exists()


def test_recording_from_the_case_page(make_user, sign_in, case):
    investigator = _on_team(make_user(Role.INVESTIGATOR), case)
    client = client_with_reason(sign_in, investigator, case)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Equality monitoring and follow-up" in detail
    assert 'data-testid="equality-status">Not recorded.' in detail
    assert _url(case, "equality") in detail and _url(case, "follow-up") in detail

    form = client.get(_url(case, "equality")).content.decode()
    assert "Prefer not to say" in form and "Not recorded" in form
    assert "35–44" in form  # the age band is shown, not asked
    saved = client.post(
        _url(case, "equality"), {"sex": "male", "ethnicity": "mixed", "disability": "no"}
    )
    assert saved.status_code == 302 and saved["Location"] == f"/cases/{case.pk}/"
    refused = client.post(_url(case, "equality"), {"ethnicity": "martian"})
    assert refused.status_code != 302 and "govuk-error-message" in refused.content.decode()
    assert EqualityMonitoring.objects.get(person=case.person).ethnicity == "mixed"

    recorded = client.post(
        _url(case, "follow-up"),
        {"kind": "reconviction", "date": "2026-09-01", "source": "PNC check"},
    )
    assert recorded.status_code == 302
    event = FollowUpEvent.objects.get(case=case)
    assert (event.kind, event.recorded_by) == ("reconviction", investigator)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    too_soon = client.post(_url(case, "follow-up"), {"kind": "rearrest", "date": future})
    assert too_soon.status_code != 302
    assert FollowUpEvent.objects.count() == 1

    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Mixed or multiple ethnic groups" in detail and "Not disabled" in detail
    assert 'data-testid="follow-up-events"' in detail and "Reconviction" in detail
    assert "Update equality monitoring" in detail


def test_the_section_is_hidden_from_users_who_may_not_act(make_user, sign_in, case):
    services.equality_record(
        actor=make_user(Role.SUPERVISOR), case=case, sex="male", ethnicity="white"
    )
    analyst = make_user(Role.ANALYST)
    from comeforward.statistics.extension import StatisticsExtension

    class _Request:
        user = analyst

    assert StatisticsExtension().panel(_Request(), case) is None


def test_the_migration_encrypts_answers_written_in_plain_text(case):
    """``0002_encrypt_equality``: rows written before it (plain codes) become tokens."""
    import importlib

    migration = importlib.import_module("comeforward.statistics.migrations.0002_encrypt_equality")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO statistics_equalitymonitoring "
            "(person_id, sex, ethnicity, disability, recorded_at) "
            "VALUES (%s, 'female', 'asian', '', CURRENT_TIMESTAMP)",
            [case.person_id],
        )

    class _Editor:  # what the migration reads of its schema editor
        pass

    editor = _Editor()
    editor.connection = connection
    migration.encrypt_existing(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ethnicity, disability FROM statistics_equalitymonitoring")
        ethnicity, disability = cursor.fetchone()
    assert ethnicity.startswith(TOKEN_PREFIX) and disability == ""
    record = EqualityMonitoring.objects.get(person=case.person)
    assert (record.sex, record.ethnicity, record.disability) == ("female", "asian", "")
